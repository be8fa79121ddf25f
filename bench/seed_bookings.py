"""Writes N confirmed, non-overlapping one-hour bookings into one room, straight
into the database (SQLite file, or PostgreSQL through psql), for the
availability benchmark. Usage: seed_bookings.py DATABASE_URL ROOM_ID N"""
import datetime as dt
import subprocess
import sys
import uuid

url, room, n = sys.argv[1], sys.argv[2], int(sys.argv[3])


def query(sql):
    if url.startswith("sqlite://"):
        import sqlite3

        con = sqlite3.connect(url[len("sqlite://"):].split("?")[0])
        rows = con.execute(sql).fetchall()
        con.close()
        return rows[0][0] if rows else None
    out = subprocess.run(["psql", "-qAt", url, "-c", sql], capture_output=True, check=True, text=True)
    return out.stdout.strip()


def execute(sql):
    if url.startswith("sqlite://"):
        import sqlite3

        con = sqlite3.connect(url[len("sqlite://"):].split("?")[0])
        con.executescript(sql)
        con.close()
    else:
        subprocess.run(["psql", "-q", url], input=sql.encode(), check=True)


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
print(f"  seeded {n} bookings")
