"""Writes N confirmed, non-overlapping one-hour bookings into one room, straight
into the database (SQLite file or PostgreSQL through psql), for the
availability benchmark. Usage: seed_bookings.py DATABASE_URL ROOM_ID N"""
import datetime as dt
import subprocess
import sys
import uuid

url, room, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=30), dt.time(8), tzinfo=dt.timezone(dt.timedelta(hours=8)))
rows = []
for i in range(n):
    # Ten one-hour bookings a day, 08:00-18:00, day after day.
    s = start + dt.timedelta(days=i // 10, hours=i % 10)
    ms = int(s.timestamp() * 1000)
    rows.append((str(uuid.uuid4()), room, f"L-{i}", ms, ms + 3_600_000))

sql_rows = ",".join(
    f"('{bid}', (SELECT center_id FROM room WHERE id = '{room}'), '{room}', '{ref}', '压测', 'Seeded', "
    f"(SELECT id FROM app_user WHERE email = 'admin@demo.liaison.local'), 2, {s}, {e}, {s}, {e}, 'confirmed', {s}, {s})"
    for bid, room, ref, s, e in rows
)
sql = (
    "INSERT INTO booking (id, center_id, room_id, reference, title_zh, title_en, organizer_id, attendees, "
    "starts_at, ends_at, block_start, block_end, status, created_at, updated_at) VALUES " + sql_rows + ";"
)
if url.startswith("sqlite://"):
    import sqlite3

    con = sqlite3.connect(url[len("sqlite://"):].split("?")[0])
    con.executescript(sql)
    con.close()
else:
    subprocess.run(["psql", "-q", url], input=sql.encode(), check=True)
print(f"  seeded {n} bookings")
