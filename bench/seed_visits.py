"""Seeds the visits benchmark straight into the database: 200 interpreters
with two languages each, 10,000 visits of 400 organisations over 2018-2027,
two itinerary items per visit and one interpreter assignment per item
(20,000), plus one unassigned item to ask suggestions for. Prints that
item's id. Usage: seed_visits.py DATABASE_URL"""
import datetime as dt
import random
import sys
import uuid

from seed import Db

db = Db(sys.argv[1])
rnd = random.Random(7)
q = lambda s: "'" + str(s).replace("'", "''") + "'"
center = db.query("SELECT id FROM center WHERE slug = 'chengdu-medical-city'")
now = str(int(dt.datetime.now().timestamp() * 1000))
tz = dt.timezone(dt.timedelta(hours=8))
ms = lambda d: int(d.timestamp() * 1000)

users, interpreters, languages = [], [], []
pool = ["en", "fr", "de", "ja", "ko", "ru", "es", "it"]
for i in range(200):
    uid, iid = str(uuid.uuid4()), str(uuid.uuid4())
    users.append((q(uid), q(center), q(f"bench.interp{i}@example.org"), q(f"Interpreter {i}"), q("interpreter"), q("!"), now, now))
    interpreters.append((q(iid), q(center), q(uid), now, now))
    first = pool[i % len(pool)]
    second = "en" if first != "en" else "fr"
    for tag, level in ((first, 1 + i * 7 % 3), (second, 1 + i % 2)):
        languages.append((q(iid), q(tag), q(tag), str(level)))
db.insert("app_user", ["id", "center_id", "email", "display_name", "role", "password_hash", "created_at", "updated_at"], users)
db.insert("interpreter", ["id", "center_id", "user_id", "created_at", "updated_at"], interpreters)
db.insert("interpreter_language", ["interpreter_id", "tag", "primary_tag", "level"], languages)

kinds = ["embassy_consulate", "foreign_local_government", "business_association", "foreign_enterprise",
         "hk_macao_org", "international_org", "domestic", "other"]
orgs = []
for i in range(400):
    orgs.append((str(uuid.uuid4()), kinds[i % len(kinds)]))
db.insert("organisation", ["id", "center_id", "kind", "country", "name_zh", "name_en", "name_key", "created_at", "updated_at"],
          [(q(o), q(center), q(k), q("FR"), q(f"机构{i}"), q(f"Bench organisation {i}"), q(f"bench organisation {i}"), now, now)
           for i, (o, k) in enumerate(orgs)])

visits, items, assignments = [], [], []
start = dt.datetime(2026, 1, 1, tzinfo=tz)
for i in range(10000):
    vid = str(uuid.uuid4())
    org, kind = orgs[i % len(orgs)]
    year = 2018 + i % 10
    day = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    visits.append((q(vid), q(center), q(f"S-{i:05d}"), q(org), q(kind), q("FR"), q("closed"), q(day), q(day), str(year),
                   str(2 + i % 10), q("staff"), now, now))
    for _ in range(2):
        item = str(uuid.uuid4())
        s = start + dt.timedelta(days=rnd.randrange(540), hours=8 + rnd.randrange(9))
        a, b = ms(s), ms(s + dt.timedelta(hours=1))
        items.append((q(item), q(center), q(vid), q("meeting"), q("会见"), q("Meeting"), str(a), str(b), q("confirmed"), now, now))
        interp = interpreters[rnd.randrange(200)][0]
        assignments.append((q(str(uuid.uuid4())), q(center), interp, q(item), q("en"), str(a), str(b),
                            q(rnd.choice(["offered", "accepted"])), now))
db.insert("visit", ["id", "center_id", "reference", "organisation_id", "kind", "country", "status", "starts_on", "ends_on",
                    "year", "party_size", "source", "created_at", "updated_at"], visits)
db.insert("itinerary_item", ["id", "center_id", "visit_id", "kind", "title_zh", "title_en", "starts_at", "ends_at",
                             "status", "created_at", "updated_at"], items)
db.insert("interpreter_assignment", ["id", "center_id", "interpreter_id", "item_id", "language", "starts_at", "ends_at",
                                     "status", "created_at"], assignments)
# The item asked about: 2026-12-15 10:00-11:00, in the thick of the assignments.
target = str(uuid.uuid4())
s = dt.datetime(2026, 12, 15, 10, tzinfo=tz)
db.insert("itinerary_item", ["id", "center_id", "visit_id", "kind", "title_zh", "title_en", "starts_at", "ends_at",
                             "status", "created_at", "updated_at"],
          [(q(target), q(center), visits[0][0], q("talks"), q("会谈"), q("Talks"), str(ms(s)), str(ms(s + dt.timedelta(hours=1))),
            q("tentative"), now, now)])
db.settle()
print(target)
