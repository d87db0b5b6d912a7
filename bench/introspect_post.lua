-- wrk script: POST /oauth2/introspect (RFC 7662) of one access token (BENCH_TOKEN) with HTTP
-- Basic client authentication: signature, claims and the revocation store on every request.
dofile("bench/common.lua")

wrk.method = "POST"
wrk.body = "token=" .. os.getenv("BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = bench_basic_authorization()
