"""Seeds the enterprise-services benchmark straight into the database: N
requests copied from the demo's special-item import, spread over the
statuses of its flow, half of them given to the demo officer, with due days
over the coming and past weeks.
Usage: seed_enterprises.py DATABASE_URL REQUESTS"""
import random
import sys
import uuid

from seed import Db

url, n = sys.argv[1], int(sys.argv[2])
db = Db(url)
q = lambda s: "NULL" if s is None else "'" + str(s).replace("'", "''") + "'"
template = db.query("SELECT id FROM service_request WHERE status = 'review' ORDER BY id LIMIT 1")
officer = db.query("SELECT id FROM app_user WHERE email = 'staff@demo.liaison.local'")
if url.startswith("sqlite://"):
    cols = db.query("SELECT group_concat(name, ',') FROM pragma_table_info('service_request')").split(",")
else:
    cols = db.query("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'service_request'").split(",")
random.seed(7)
statuses = ["submitted", "review", "supplement", "filed", "approved", "arrived", "inspection", "released", "delivered", "closed"]
stmts = []
for i in range(n):
    status = statuses[i % len(statuses)]
    running = status not in ("supplement", "closed", "approved", "delivered")
    due = f"2026-{random.randint(10, 12):02d}-{random.randint(1, 28):02d}" if running else None
    fields = {"id": str(uuid.uuid4()), "reference": f"ES-2026-B{i:05d}", "status": status, "due_day": due,
              "officer_id": officer if i % 2 == 0 else None, "title": f"Bench request {i:05d}", "version": 1}
    select = ", ".join(q(fields[k]) if k in fields else k for k in cols)
    stmts.append(f"INSERT INTO service_request ({', '.join(cols)}) SELECT {select} FROM service_request WHERE id = {q(template)};")
db.execute("BEGIN;\n" + "\n".join(stmts) + "\nCOMMIT;\n")
db.settle()
