// `tunesmith serve`: the studio's HTTP server (docs/api.md). One Composer,
// opened once, behind a bounded ComposeQueue; tunes in a TuneStore (SQLite,
// WAL); rendered files cached on disk beside the database; the page from
// web/ and abcjs from node_modules/.
//
//   auto studio = Studio::Create(composer.get(), options);
//   (*studio)->Bind();        // port 0: any free port; Port() says which
//   (*studio)->Serve();       // blocks until Stop()
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "generate/composer.h"

namespace tunesmith::serve {

struct StudioOptions {
  std::string host = "127.0.0.1";  // loopback: only this machine may connect
  int port = 8080;                 // 0: any free port
  std::string db = "tunesmith-studio.db";  // rendered files go to DB.files/
  std::string web;                 // folder holding web/ and node_modules/ ("": found like the bundled model)
  int workers = 1;                 // Compose calls at once
  int queue_limit = 32;            // requests waiting for a worker; past it 503
  int max_batch = 16;              // requests composed together
  int renders = 2;                 // MIDI/WAV/SVG renders at once
  int render_queue = 32;           // renders waiting; past it 503
  int read_timeout_seconds = 5;    // a client silent this long is dropped
  int write_timeout_seconds = 5;
  int max_connections = 4096;      // connection threads; more connections wait for one
  bool log = false;                // one line per request on stderr
};

class Studio {
 public:
  // Opens the database (creating it) and checks the options; the composer
  // must outlive the studio.
  static Result<std::unique_ptr<Studio>> Create(const generate::Composer* composer, StudioOptions options);
  ~Studio();

  // Binds host:port. IOError naming the address when it cannot.
  Status Bind();
  int Port() const;
  // Answers requests until Stop() (from any thread or a signal handler's thread).
  Status Serve();
  void Stop();
  // While held, composing requests wait in the queue (see ComposeQueue::Hold).
  void HoldComposing(bool hold);
  // The web root in use ("" when none was found: the page is then 404).
  const std::string& WebRoot() const;

 private:
  struct Impl;
  explicit Studio(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The folder holding web/index.html: `given` when not empty, else looked for
// beside the executable (../share/tunesmith, .., ../..) and the source tree.
Result<std::string> FindWebRoot(const std::string& given);

// `tunesmith serve`: opens the model, prints where it listens, serves until
// SIGINT or SIGTERM. `threads`: LibTorch's (0: every core).
Status Run(const std::string& model, StudioOptions options, int threads);

}  // namespace tunesmith::serve
