// tunesmith serve: binds the flags to serve::StudioOptions and runs the
// studio (docs/api.md) until Ctrl-C.
#include "cli/commands.h"
#include "cli/compose_flags.h"
#include "serve/studio.h"

namespace tunesmith::cli {

void AddServeCommand(CLI::App& app) {
  struct Args {
    std::string model;
    serve::StudioOptions options;
    int threads = 0;
  };
  auto args = std::make_shared<Args>();
  serve::StudioOptions& o = args->options;
  auto* cmd = app.add_subcommand("serve", "Serve the studio: a web page and a JSON API to compose, hear, vary and keep tunes");
  cmd->add_option("--host", o.host, "Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every network)")
      ->capture_default_str();
  cmd->add_option("--port", o.port, "Port to listen on (0: any free port)")->capture_default_str()->check(CLI::Range(0, 65535));
  cmd->add_option("--model", args->model,
                  "Model checkpoint (default: the bundled models/default.ckpt, or $TUNESMITH_MODEL)");
  cmd->add_option("--db", o.db, "Tune history (SQLite); rendered files are cached in DB.files/")->capture_default_str();
  cmd->add_option("--workers", o.workers, "Tunes composed at once (each a batch of requests that arrived together)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cmd->add_option("--queue", o.queue_limit, "Compose requests that may wait; past it the answer is 503 with Retry-After")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--max-batch", o.max_batch, "Waiting requests with the same settings composed together")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cmd->add_option("--web", o.web, "Folder holding web/ and node_modules/ (default: beside the executable or the source tree)");
  cmd->add_option("--timeout", o.read_timeout_seconds, "Seconds a client may stay silent before it is dropped")
      ->capture_default_str()
      ->check(CLI::Range(1, 300));
  cmd->add_flag("--log", o.log, "One line per request on stderr");
  AddThreadsFlag(cmd, &args->threads);
  cmd->footer(ExitCodesHelp());
  cmd->callback([args] {
    args->options.write_timeout_seconds = args->options.read_timeout_seconds;
    Status s = serve::Run(args->model, args->options, args->threads);
    if (!s.ok()) throw ExitCode{Fail("tunesmith serve", s)};
  });
}

}  // namespace tunesmith::cli
