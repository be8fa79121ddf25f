"""Seeds the news benchmark straight into the database: N published
articles copied from the demo's published one (each with its own slugs and
publication time, a day apart), and C approved comments on the newest.
Usage: seed_news.py DATABASE_URL ARTICLES COMMENTS"""
import sys
import uuid

from seed import Db

url, n, c = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
db = Db(url)
q = lambda s: "'" + str(s).replace("'", "''") + "'"
template = db.query("SELECT id FROM news_article WHERE status = 'published' ORDER BY id LIMIT 1")
if url.startswith("sqlite://"):
    cols = db.query("SELECT group_concat(name, ',') FROM pragma_table_info('news_article')").split(",")
else:
    cols = db.query("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'news_article'").split(",")
day = 86_400_000
stmts = []
for i in range(n):
    fields = {"id": str(uuid.uuid4()), "slug_zh": f"bench-{i:05d}", "slug_en": f"bench-{i:05d}",
              "title_en": f"Bench article {i:05d}", "title_zh": f"测试文章 {i:05d}"}
    select = ", ".join(q(fields[k]) if k in fields else k for k in cols)
    stmts.append(f"INSERT INTO news_article ({', '.join(cols)}) SELECT {select} FROM news_article WHERE id = {q(template)};")
    stmts.append(f"UPDATE news_article SET published_at = published_at - {(n - i) * day} WHERE id = {q(fields['id'])};")
newest = db.query("SELECT center_id FROM news_article WHERE id = " + q(template))
for i in range(c):
    stmts.append(
        "INSERT INTO news_comment (id, center_id, article_id, status, lang, name, body, created_at, purge_at) VALUES "
        f"({q(uuid.uuid4())}, {q(newest)}, {q(template)}, 'approved', 'en', {q(f'Reader {i}')}, {q('A fine visit, thank you.')}, {i}, 0);")
db.execute("BEGIN;\n" + "\n".join(stmts) + "\nCOMMIT;\n")
db.settle()
