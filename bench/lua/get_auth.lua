-- A GET with the bearer token (availability queries).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
