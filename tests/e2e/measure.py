"""Measures the real Matchbook app on a big book, in a real window (run by scripts/measure-app.sh
under Xvfb + tauri-driver): cold start to a usable Overview, the Hours table's first and later
opens, a sort and a filter, and the memory of the app's processes (the app and its WebKit
processes). Prints figures; asserts nothing. Times are wall clock seen from the WebDriver client,
so they include its polling (a few ms per check) and, for the start, launching through
tauri-driver and WebKitWebDriver."""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from webdriver import Session  # noqa: E402


def children():
    """pid -> list of child pids, from /proc."""
    tree = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def app_processes(app):
    """The app's process and its descendants (WebKit's web and network processes)."""
    name = os.path.basename(app)
    roots = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    argv0 = f.read().split(b"\0")[0].decode(errors="replace")
            except OSError:
                continue
            if os.path.basename(argv0) == name:
                roots.append(int(entry))
    tree, found, todo = children(), [], list(roots)
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, []))
    return found


def memory_mb(pids):
    """(RSS, PSS, PSS per process name) over `pids`, in MB. PSS shares libraries fairly between
    processes."""
    rss = pss = 0
    each = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
                        each[name] = each.get(name, 0) + int(line.split()[1]) / 1024
        except OSError:
            pass
    return rss / 1024, pss / 1024, ", ".join(f"{n} {v:.0f}" for n, v in sorted(each.items()))


def overview_shown(s, timeout):
    """The Overview with its figures, or its word that the period holds nothing."""
    return s.wait_until("the Overview", lambda: s.find_all('[data-testid="overview-table"], [data-testid="empty-period"]'),
                        timeout=timeout)


# Timed inside the page, from the user's action to the table drawn anew, so that WebDriver's
# polling is not part of the figure.
SORT = """
const done = arguments[arguments.length - 1];
const table = document.querySelector('[data-testid="entries-table"]');
const first = () => { const r = table.querySelector('[data-testid^="row-"]'); return r && r.getAttribute('data-testid'); };
const before = first(), t0 = performance.now();
const seen = new MutationObserver(() => {
  const f = first(); if (f && f !== before) { seen.disconnect(); requestAnimationFrame(() => done(performance.now() - t0)); }
});
seen.observe(table, { subtree: true, childList: true, attributes: true, characterData: true });
document.querySelector(arguments[0]).click();
setTimeout(() => { seen.disconnect(); done(-1); }, 25000);
"""
FILTER = """
const done = arguments[arguments.length - 1];
const total = document.querySelector('[data-testid="entries-total"]');
const count = () => total.textContent.replace(/[^0-9]/g, '');
const before = count(), t0 = performance.now();
const seen = new MutationObserver(() => {
  if (count() !== before) { seen.disconnect(); requestAnimationFrame(() => done(performance.now() - t0)); }
});
seen.observe(total, { subtree: true, childList: true, characterData: true });
const input = document.querySelector(arguments[0]);
input.value = arguments[1];
input.dispatchEvent(new Event('input', { bubbles: true }));
setTimeout(() => { seen.disconnect(); done(-1); }, 25000);
"""


def in_page(s, script, *args):
    return s._cmd("POST", "/execute/async", {"script": script, "args": list(args)})


def timed_until(session, what, predicate, timeout=180):
    start = time.time()
    session.wait_until(what, predicate, timeout=timeout)
    return time.time() - start


def first_row_id(session):
    rows = session.find_all('[data-testid="entries-table"] [data-testid^="row-"]')
    return rows[0].attribute("data-testid") if rows else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("app")
    parser.add_argument("out")
    parser.add_argument("--port", type=int, default=4444)
    parser.add_argument("--book", required=True)
    parser.add_argument("--theme", default="light")
    parser.add_argument("--ledger", help="a ledger folder to import through the window, measured")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    start = time.time()
    s = Session(args.app, ["--db", args.book, "--create"], port=args.port)
    launched = time.time() - start
    overview_shown(s, timeout=120)
    usable = time.time() - start
    time.sleep(1)
    rss, pss, each = memory_mb(app_processes(args.app))
    print(f"cold start: window and page up {launched:.2f} s; Overview usable {usable:.2f} s")
    print(f"memory with the Overview open: {rss:.0f} MB RSS, {pss:.0f} MB PSS (app + WebKit processes: {each})")
    # The synthetic book is dated 2025: show that year.
    s.testid("period-from").fill("2025-01-01")
    s.testid("period-to").fill("2025-12-31")
    start = time.time()
    s.testid("period-apply").click()
    s.wait_until("the 2025 overview", lambda: s.find_all('[data-testid="overview-table"]'), timeout=60)
    print(f"Overview of 2025 (period changed): {time.time() - start:.2f} s")
    s.screenshot(os.path.join(args.out, f"overview-{args.theme}.png"))

    s.testid("nav-hours").click()
    t = timed_until(s, "the first rows of the Hours table", lambda: first_row_id(s) is not None)
    print(f"Hours table, first open (builds the index): {t:.2f} s")
    total = s.testid("entries-total").text
    print(f"  {total}")
    s.testid("nav-overview").click()
    overview_shown(s, timeout=60)
    s.testid("nav-hours").click()
    t = timed_until(s, "the Hours table again", lambda: first_row_id(s) is not None)
    print(f"Hours table, later open: {t:.2f} s")

    for key in ("expected", "contributor", "date"):
        time.sleep(1)  # as a person would: the pages of the last answer are in
        ms = in_page(s, SORT, f'[data-testid="sort-{key}"]')
        print(f"sort 1,000,000 rows by {key} (click to the new first row drawn): {ms:.0f} ms")
    time.sleep(1)
    ms = in_page(s, FILTER, '[data-testid="filter-contributor"]', "Person 42")
    print(f"filter by contributor text (input to the new total drawn): {ms:.0f} ms ({s.testid('entries-total').text})")
    rss, pss, each = memory_mb(app_processes(args.app))
    print(f"memory with the Hours table open: {rss:.0f} MB RSS, {pss:.0f} MB PSS ({each})")
    s.screenshot(os.path.join(args.out, f"hours-{args.theme}.png"))
    for screen in ("reconcile", "import"):
        try:
            s.testid(f"nav-{screen}").click()
            time.sleep(1.5)
            s.screenshot(os.path.join(args.out, f"{screen}-{args.theme}.png"))
        except Exception as e:  # a screen this build lacks
            print(f"  no {screen} screen: {e}")
    s.quit()
    if args.ledger:
        measure_import(args)


def event_loop_gaps(s, seconds):
    """The longest pause of the window's event loop (ms) over `seconds`: a 20 ms timer that
    fires late shows a frozen window."""
    return s._cmd("POST", "/execute/async", {
        "script": "const done = arguments[arguments.length - 1], end = performance.now() + arguments[0] * 1000;"
                  "let last = performance.now(), worst = 0;"
                  "const t = setInterval(() => { const now = performance.now(); worst = Math.max(worst, now - last);"
                  " last = now; if (now > end) { clearInterval(t); done(Math.round(worst)); } }, 20);",
        "args": [seconds],
    })


def measure_import(args):
    """A million-row import through the window into an empty book: the preview, the import with
    its progress bar, Cancel (nothing written), then the import to the end."""
    import sqlite3
    import tempfile
    book = os.path.join(tempfile.mkdtemp(prefix="matchbook-measure-"), "book.sqlite")
    s = Session(args.app, ["--db", book, "--create"], port=args.port)
    s.testid("nav-overview", timeout=60)
    s.testid("nav-import").click()
    s.testid("import-path").fill(args.ledger)
    start = time.time()
    s.testid("import-path-add").click()
    s.wait_until("the preview", lambda: "hours" in s.testid("import-files").text, timeout=300)
    print(f"import preview (dry run) of {args.ledger}: {time.time() - start:.2f} s")
    s.screenshot(os.path.join(args.out, f"import-preview-{args.theme}.png"))

    # Cancel as soon as the progress shows: a faster import could otherwise end first.
    s.testid("import-run").click()
    s.testid("import-progress", timeout=30)
    s.screenshot(os.path.join(args.out, f"import-progress-{args.theme}.png"))
    s.testid("import-cancel").click()
    s.testid("import-cancelled", timeout=60)
    db = sqlite3.connect(book)
    hours = db.execute("SELECT count(*) FROM hours").fetchone()[0]
    db.close()
    print(f"cancelled: {hours} hours in the book (nothing written)")

    start = time.time()
    s.testid("import-run").click()
    s.testid("import-progress", timeout=30)
    gap = event_loop_gaps(s, 1)
    print(f"during the import the window's event loop paused at most {gap} ms")
    s.testid("import-done", timeout=600)
    print(f"import of 1,000,000 entries through the window: {time.time() - start:.2f} s")
    db = sqlite3.connect(book)
    hours = db.execute("SELECT count(*) FROM hours").fetchone()[0]
    db.close()
    print(f"  {hours} hours in the book")
    s.testid("nav-overview").click()
    start = time.time()
    overview_shown(s, timeout=300)
    print(f"first Overview after the import (computes every expected amount): {time.time() - start:.2f} s")
    s.quit()


if __name__ == "__main__":
    main()
