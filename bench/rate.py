"""Throughput measured by the server's own clock: rows counted and the span
between the first and last of them. wrk waits out its whole -d even when
the Lua script stops every thread early, so its req/s would be too low.
Usage: rate.py DATABASE_URL TABLE TIME_COLUMN WHERE"""
import sys

from seed import Db

url, table, col, where = sys.argv[1:5]
db = Db(url)
row = db.query(f"SELECT COUNT(*) || ' ' || MIN({col}) || ' ' || MAX({col}) FROM {table} WHERE {where}")
n, lo, hi = (int(x) for x in row.split())
span = max(hi - lo, 1) / 1000
print(f"  ({n} rows in {span:.2f} s by the server's clock: {n / span:.0f}/s)")
