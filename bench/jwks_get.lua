-- wrk script: GET the JWKS (the summary line comes from common.lua).
dofile("bench/common.lua")
