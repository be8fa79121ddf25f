"""Seeds a matchmaking event straight into the database: N participants
(each their own confirmed registration, ticket and ticket link) with
profiles (sector, country, languages, an offer and a need), and M meetings
between distinct pairs, either accepted and waiting for a place or
requested (waiting for the invitee's answer). Writes one line per
participant "participant_id secret" and, for requested meetings, one line
per meeting "invitee_participant_id meeting_id secret".
Usage: seed_matchmaking.py DATABASE_URL EVENT_ID N M accepted|requested PEOPLE_FILE MEETINGS_FILE"""
import hashlib
import random
import sys
import uuid

from seed import Db

url, event, n, m, state, people_out, meetings_out = sys.argv[1:8]
n, m = int(n), int(m)
db = Db(url)
q = lambda s: "'" + str(s).replace("'", "''") + "'"
center = db.query(f"SELECT center_id FROM event WHERE id = {q(event)}")
category = db.query(f"SELECT id FROM ticket_category WHERE event_id = {q(event)} ORDER BY position LIMIT 1")
rnd = random.Random(event)
sectors = ["biomedicine", "medical_devices", "health_services", "trade_logistics", "investment"]
topics = ["product", "service", "partnership", "investment", "research"]
countries = ["CN", "CH", "DE", "FR", "JP", "KR", "US", "GB", "IT", "SG"]
langs = ["zh", "en", "de", "fr", "ja"]
regs, parts, links, profiles, entries, people = [], [], [], [], [], []
for i in range(n):
    reg, part, prof = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    secret = uuid.uuid4().hex + uuid.uuid4().hex
    email = f"p{i}@bench.example"
    regs.append((q(reg), q(event), q(center), q(f"RB-{event[-6:]}-{i:05d}"), q("confirmed"), "1", q(f"P {i}"), q(email),
                 q(f"link:{reg}"), str(i), str(i)))
    parts.append((q(part), q(reg), q(event), "1", q(f"P {i}"), q(email), q(category), q((event.replace("-", "")[-4:] + f"{i:08d}").upper()), str(i), str(i)))
    links.append((q("ticket"), q(hashlib.sha256(secret.encode()).hexdigest()), q(reg), str(i)))
    spoken = ",".join(sorted(set([rnd.choice(langs), rnd.choice(["zh", "en"])])))
    profiles.append((q(prof), q(event), q(center), q(part), q(reg), q(f"P {i}"), q(f"组织{i}"), q(f"Org {i}"),
                     q(rnd.choice(countries)), q(rnd.choice(sectors)), q(spoken), q(email), str(i), str(i)))
    for pos, side in enumerate(["offer", "need"]):
        entries.append((q(str(uuid.uuid4())), q(prof), q(event), str(pos), q(side), q(rnd.choice(topics)),
                        q(f"{side} 内容 {i}"), q(f"{side} text {i}")))
    people.append((part, prof, secret))
db.insert("registration", ["id", "event_id", "center_id", "reference", "status", "seats", "contact_name", "contact_email",
                           "manage_token", "created_at", "updated_at"], regs)
db.insert("participant", ["id", "registration_id", "event_id", "position", "name", "email", "category_id", "ticket_code",
                          "created_at", "updated_at"], parts)
db.insert("secret_link", ["purpose", "hash", "subject_id", "created_at"], links)
db.insert("mm_profile", ["id", "event_id", "center_id", "participant_id", "registration_id", "name", "organisation_zh",
                         "organisation_en", "country", "sector", "languages", "email", "created_at", "updated_at"], profiles)
db.insert("mm_entry", ["id", "profile_id", "event_id", "position", "side", "topic", "text_zh", "text_en"], entries)
db.execute(f"UPDATE event SET taken = {n} WHERE id = {q(event)};")
pairs, meetings, lines = set(), [], []
while len(meetings) < m:
    a, b = rnd.sample(range(n), 2)
    if (a, b) in pairs or (b, a) in pairs:
        continue
    pairs.add((a, b))
    mid = str(uuid.uuid4())
    accepted = "1" if state == "accepted" else "NULL"
    meetings.append((q(mid), q(event), q(center), q(people[a][1]), q(people[b][1]), q(state), accepted,
                     str(len(meetings)), str(len(meetings))))
    lines.append(f"{people[b][0]} {mid} {people[b][2]}")
db.insert("mm_meeting", ["id", "event_id", "center_id", "requester_id", "invitee_id", "status", "accepted_at",
                         "created_at", "updated_at"], meetings)
db.settle()
with open(people_out, "w") as f:
    f.write("\n".join(f"{p} {s}" for p, _, s in people) + "\n")
with open(meetings_out, "w") as f:
    f.write("\n".join(lines) + "\n")
print(f"  seeded {n} participants with profiles and {m} {state} meetings")
