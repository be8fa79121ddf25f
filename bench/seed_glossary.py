"""Seeds the glossary benchmark straight into the database: T more approved
terms (each with a forbidden variant) in the demo center's glossary, and N
events copied from a demo event whose title, summary and description name
terms in Chinese and render them in English — rightly, in a forbidden
variant, in the wrong capitals, or not at all.
Usage: seed_glossary.py DATABASE_URL TERMS EVENTS [PERCENT-WRONG, default 40]"""
import random
import sys
import uuid

from seed import Db

url, t, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
wrong = int(sys.argv[4]) if len(sys.argv) > 4 else 40
db = Db(url)
q = lambda s: "'" + str(s).replace("'", "''") + "'"
center = db.query("SELECT id FROM center ORDER BY created_at LIMIT 1")
template = db.query(f"SELECT id FROM event WHERE center_id = {q(center)} ORDER BY id LIMIT 1")
if url.startswith("sqlite://"):
    cols = db.query("SELECT group_concat(name, ',') FROM pragma_table_info('event')").split(",")
else:
    cols = db.query("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'event'").split(",")
rnd = random.Random(7)
terms = [(f"术语{i:03d}局", f"Term {i:03d} Bureau", f"Term {i:03d} Office") for i in range(t)]
db.insert("glossary_term", ["id", "center_id", "zh", "en", "status", "variants", "source", "notes", "created_at", "updated_at"],
          [(q(uuid.uuid4()), q(center), q(zh), q(en), q("approved"), q(bad), q("bench"), q(""), "0", "0") for zh, en, bad in terms])


def pair():
    zh, en = [], []
    for _ in range(4):
        tzh, ten, bad = rnd.choice(terms)
        zh.append(f"{tzh}出席了会议")
        said = rnd.choice([bad, ten.lower(), "the bureau"]) if rnd.randrange(100) < wrong else ten
        en.append(said + " attended the meeting")
    return "，".join(zh) + "。", "; ".join(en) + "."


stmts = []
for i in range(n):
    fields = {}
    for f in ["title", "summary", "description"]:
        fields[f + "_zh"], fields[f + "_en"] = pair()
    fields["id"] = str(uuid.uuid4())
    fields["reference"] = f"GB-{i:06d}"
    fields["invitation_code"] = uuid.uuid4().hex
    select = ", ".join(q(fields[c]) if c in fields else c for c in cols)
    stmts.append(f"INSERT INTO event ({', '.join(cols)}) SELECT {select} FROM event WHERE id = {q(template)};")
db.execute("BEGIN;\n" + "\n".join(stmts) + "\nCOMMIT;\n")
db.settle()
