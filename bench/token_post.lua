-- wrk script: POST a client_credentials request with HTTP Basic client authentication.
-- The credentials come from the environment so one script serves every client.
dofile("bench/common.lua")

wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = bench_basic_authorization()
