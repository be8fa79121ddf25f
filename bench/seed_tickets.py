"""Seeds N confirmed registrations of one person, each with a ticket, into an
event straight into the database, and writes the ticket codes to a file.
Usage: seed_tickets.py DATABASE_URL EVENT_ID N CODES_FILE"""
import random
import sys
import uuid

from seed import Db

url, event, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
db = Db(url)
q = lambda s: "'" + str(s).replace("'", "''") + "'"
center = db.query(f"SELECT center_id FROM event WHERE id = '{event}'")
category = db.query(f"SELECT id FROM ticket_category WHERE event_id = '{event}' ORDER BY position LIMIT 1")
alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
rnd = random.Random(event)
codes, regs, parts = set(), [], []
while len(codes) < n:
    codes.add("".join(rnd.choice(alphabet) for _ in range(12)))
codes = sorted(codes)
for i, code in enumerate(codes):
    rid = str(uuid.uuid4())
    regs.append((q(rid), q(event), q(center), q(f"S-{event[-8:]}-{i:06d}"), q("confirmed"), "1", q(f"Guest {i}"),
                 q(f"guest{i}@example.org"), q("{}"), q("zh-CN"), q("link:" + rid), "0", "0"))
    parts.append((q(str(uuid.uuid4())), q(rid), q(event), "1", q(f"Guest {i}"), q(""), q(category), q("CN"), q(code), "0", "0"))
db.insert("registration", ["id", "event_id", "center_id", "reference", "status", "seats", "contact_name", "contact_email",
                           "answers", "lang", "manage_token", "created_at", "updated_at"], regs)
db.insert("participant", ["id", "registration_id", "event_id", "position", "name", "email", "category_id", "country",
                          "ticket_code", "created_at", "updated_at"], parts)
db.execute(f"UPDATE event SET taken = {n} WHERE id = '{event}';")
db.settle()
with open(out, "w") as f:
    f.write("\n".join(codes) + "\n")
print(f"  seeded {n} tickets")
