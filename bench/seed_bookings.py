"""Writes N confirmed, non-overlapping one-hour bookings into one room, straight
into the database (SQLite file, or PostgreSQL through psql), for the
availability benchmark. Usage: seed_bookings.py DATABASE_URL ROOM_ID N"""
import datetime as dt
import sys
import uuid

from seed import Db

url, room, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
db = Db(url)
query, execute = db.query, db.execute


center = query(f"SELECT center_id FROM room WHERE id = '{room}'")
organizer = query("SELECT id FROM app_user WHERE email = 'admin@demo.liaison.local'")
start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=30), dt.time(8), tzinfo=dt.timezone(dt.timedelta(hours=8)))
values = []
for i in range(n):
    # Ten one-hour bookings a day, 08:00-18:00, day after day.
    s = int((start + dt.timedelta(days=i // 10, hours=i % 10)).timestamp() * 1000)
    values.append(
        f"('{uuid.uuid4()}', '{center}', '{room}', 'L-{i}', '压测', 'Seeded', '{organizer}', 2, "
        f"{s}, {s + 3_600_000}, {s}, {s + 3_600_000}, 'confirmed', {s}, {s})"
    )
head = (
    "INSERT INTO booking (id, center_id, room_id, reference, title_zh, title_en, organizer_id, attendees, "
    "starts_at, ends_at, block_start, block_end, status, created_at, updated_at) VALUES "
)
execute("".join(head + ",".join(values[i:i + 500]) + ";\n" for i in range(0, n, 500)))
db.settle()
print(f"  seeded {n} bookings")
