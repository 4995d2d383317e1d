-- wrk script for bench/serve_load.sh: GETs (the URL given to wrk) with the
-- status counts of serve_status.lua.
dofile(os.getenv("SERVE_STATUS_LUA") or "bench/serve_status.lua")
