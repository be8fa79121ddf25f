"""Straight-to-the-database seeding for the benchmarks: one SQLite file or one
PostgreSQL database (through psql), the same SQL for both."""
import subprocess


class Db:
    def __init__(self, url):
        self.url = url

    def query(self, sql):
        """The first column of the first row, as text (or None)."""
        if self.url.startswith("sqlite://"):
            import sqlite3

            con = sqlite3.connect(self.url[len("sqlite://"):].split("?")[0])
            rows = con.execute(sql).fetchall()
            con.close()
            return rows[0][0] if rows else None
        out = subprocess.run(["psql", "-qAt", self.url, "-c", sql], capture_output=True, check=True, text=True)
        return out.stdout.strip() or None

    def execute(self, sql):
        if self.url.startswith("sqlite://"):
            import sqlite3

            con = sqlite3.connect(self.url[len("sqlite://"):].split("?")[0])
            con.executescript(sql)
            con.close()
        else:
            subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", self.url], input=sql.encode(), check=True)

    def insert(self, table, columns, rows, batch=500):
        """Inserts rows (tuples of SQL literals already quoted) in batches."""
        head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        sql = "".join(
            head + ",".join("(" + ", ".join(r) + ")" for r in rows[i:i + batch]) + ";\n"
            for i in range(0, len(rows), batch)
        )
        self.execute("BEGIN;\n" + sql + "COMMIT;\n")

    def settle(self):
        """What autovacuum would do after a bulk load on PostgreSQL: refresh
        the planner's statistics and the visibility map. (SQLite keeps no
        statistics unless asked, and Liaison does not ask.)"""
        if not self.url.startswith("sqlite://"):
            subprocess.run(["psql", "-q", self.url, "-c", "VACUUM ANALYZE"], check=True)
