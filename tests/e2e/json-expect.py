#!/usr/bin/env python3
# json-expect.py [--wall-ms N] [--brief] FILE EXPR... — evaluates each Python expression
# against the JSON that "outbox-doctor-cli detect --json" or "check --json" wrote to FILE;
# exit status 0 if all are true, 1 if one is false or raises, 2 if FILE is not JSON. What
# failed is printed as TAP comments ("# "), with a short summary of the result (left out
# with --brief).
#
# Names available to the expressions:
#   j                the whole document
#   step(id)         check: the step with that id ({} if none)
#   problem(id)      the first entry of j["problems"] with that id ({} if none)
#   best             j["best"] (None when nothing was chosen)
#   cands            the outgoing (SMTP) entries of j["candidates"]
#   cand(h, p)       the outgoing candidate for host h and port p (the first one; {} if none)
#   cands_for(h, p)  every outgoing candidate for host h and port p
#   incoming         j["incoming"] (None when no incoming server was chosen)
#   in_cands         the incoming (IMAP, POP3) entries of j["candidates"]
#   in_cand(h, p)    the incoming candidate for host h and port p ({} if none)
#   in_source(kind, protocol)  the incoming source of that kind and protocol ({} if none)
#   status(c)        a candidate's result status ("ok", "timeout", …)
#   tls(c)           a candidate's TLS details ({} if none)
#   source(kind)     the outgoing entry of j["sources"] for that kind ({} if none)
#   best_source()    where the best candidate came from: best["source"] if present, else
#                    the sources of the candidates with best's host, port and security
#   problem_ids      the ids in j["problems"]
#   wall_ms          the wall-clock time of the run (argument --wall-ms)

import json
import sys


def main():
    args = sys.argv[1:]
    wall_ms = None
    brief = False
    while args and args[0].startswith("--"):
        if args[0] == "--wall-ms" and len(args) >= 2:
            wall_ms = int(args[1])
            args = args[2:]
        elif args[0] == "--brief":
            brief = True
            args = args[1:]
        else:
            break
    if not args:
        print("usage: json-expect.py [--wall-ms N] [--brief] FILE EXPR...", file=sys.stderr)
        return 2
    path, exprs = args[0], args[1:]

    try:
        with open(path, encoding="utf-8") as f:
            j = json.load(f)
    except (OSError, ValueError) as e:
        print("# %s is not JSON: %s" % (path, e))
        return 2

    every_cand = j.get("candidates") or []
    # Entries without a protocol come from before incoming servers were probed: SMTP.
    cands = [c for c in every_cand if c.get("protocol", "smtp") == "smtp"]
    in_cands = [c for c in every_cand if c.get("protocol", "smtp") != "smtp"]
    incoming = j.get("incoming")

    def result(c):
        r = c.get("result")
        return r if isinstance(r, dict) else c

    def status(c):
        return result(c).get("status")

    def tls(c):
        return result(c).get("tls") or {}

    def cands_for(h, p):
        return [c for c in cands if c.get("host") == h and c.get("port") == p]

    def cand(h, p):
        found = cands_for(h, p)
        return found[0] if found else {}

    def in_cand(h, p):
        found = [c for c in in_cands if c.get("host") == h and c.get("port") == p]
        return found[0] if found else {}

    def source(kind, protocol="smtp"):
        for s in j.get("sources") or []:
            if s.get("kind") == kind and s.get("protocol", "smtp") == protocol:
                return s
        return {}

    def in_source(kind, protocol):
        return source(kind, protocol)

    best = j.get("best")

    def step(step_id):
        for s in j.get("steps") or []:
            if s.get("id") == step_id:
                return s
        return {}

    def problem(problem_id):
        for p in j.get("problems") or []:
            if p.get("id") == problem_id:
                return p
        return {}

    def best_source():
        if not best:
            return None
        if best.get("source"):
            return best["source"]
        kinds = sorted({c.get("source") for c in cands
                        if c.get("host") == best.get("host")
                        and c.get("port") == best.get("port")
                        and c.get("security") == best.get("security")})
        return ",".join(k for k in kinds if k)

    names = dict(json=json, j=j, best=best, cands=cands, cand=cand, cands_for=cands_for,
                 status=status, tls=tls, source=source, best_source=best_source,
                 step=step, problem=problem, incoming=incoming, in_cands=in_cands,
                 in_cand=in_cand, in_source=in_source,
                 problem_ids=[p.get("id") for p in j.get("problems") or []],
                 wall_ms=wall_ms)

    failed = 0
    for expr in exprs:
        try:
            # The names as globals, so generator expressions see them too.
            value = eval(expr, dict(names, __builtins__=__builtins__))  # noqa: S307
        except Exception as e:  # a missing key is a failed check, not a crash
            print("# failed: %s (%s: %s)" % (expr, type(e).__name__, e))
            failed += 1
            continue
        if not value:
            print("# failed: %s" % expr)
            failed += 1

    if failed and not brief:
        print("# best: %s" % json.dumps(best))
        print("# problems: %s" % json.dumps(names["problem_ids"]))
        print("# elapsed_ms: %s, wall_ms: %s" % (j.get("elapsed_ms"), wall_ms))
        for s in j.get("steps") or []:
            print("# step %s: %s %s (%s ms)" % (s.get("id"), s.get("status"),
                                                s.get("detail") or "", s.get("elapsed_ms")))
        for s in j.get("sources") or []:
            print("# source %s/%s: %s %s (%s ms)" % (s.get("kind"), s.get("protocol", "smtp"),
                                                     s.get("status"),
                                                  s.get("detail") or "", s.get("elapsed_ms")))
        print("# incoming: %s" % json.dumps(incoming))
        for c in every_cand:
            print("# candidate %s %s:%s %s from %s: %s (%s ms)" % (
                c.get("protocol", "smtp"), c.get("host"), c.get("port"), c.get("security"),
                c.get("source"), status(c), result(c).get("elapsed_ms")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
