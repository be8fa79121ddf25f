"""Seeds N confirmed hall reservations of three people in one slot row (made
here, of capacity 3·N) straight into the database, and writes their ticket
codes to a file.
Usage: seed_hall.py DATABASE_URL CENTER_ID DAY STARTS_AT_MS N CODES_FILE"""
import random
import sys
import uuid

from seed import Db

url, center, day, start, n, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
db = Db(url)
q = lambda s: "'" + str(s).replace("'", "''") + "'"
slot = str(uuid.uuid4())
db.execute(f"INSERT INTO hall_slot (id, center_id, day, starts_at, ends_at, capacity, taken) VALUES "
           f"({q(slot)}, {q(center)}, {q(day)}, {start}, {start + 3600000}, {3 * n}, {3 * n});")
alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
rnd = random.Random(slot)
codes = set()
while len(codes) < n:
    codes.add("".join(rnd.choice(alphabet) for _ in range(12)))
codes = sorted(codes)
rows = []
for i, code in enumerate(codes):
    rows.append((q(str(uuid.uuid4())), q(center), q(f"HB-{slot[:6]}-{i:06d}"), q(slot), q(day), str(start), q("individual"),
                 q("confirmed"), "3", q(f"Guest {i}"), q(f"138{i:08d}"), q(f"138{i:08d}"), q(code), "0", "0"))
db.insert("hall_reservation", ["id", "center_id", "reference", "slot_id", "day", "starts_at", "kind", "status", "people",
                               "contact_name", "phone", "contact_key", "ticket_code", "created_at", "updated_at"], rows)
db.settle()
with open(out, "w") as f:
    f.write("\n".join(codes) + "\n")
print(f"  seeded {n} reservations")
