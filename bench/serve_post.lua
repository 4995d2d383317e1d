-- wrk script for bench/serve_load.sh: POST /api/tunes with one jig's
-- settings (no seed: requests that wait together share a batch), and a
-- count of every status seen, printed when the run ends.
wrk.method = "POST"
wrk.body = '{"meter":"6/8","rhythm":"jig"}'
wrk.headers["Content-Type"] = "application/json"
dofile(os.getenv("SERVE_STATUS_LUA") or "bench/serve_status.lua")
