#!/usr/bin/env python3
# Prints the size figures the restructuring is measured by: lines of product C under src/,
# the largest files, and every function longer than a limit (GNU style: a function body is
# the lines between a "{" and a "}" in the first column).
#   build-aux/code-metrics.py [--functions-over N] [--files 10]
import argparse, os, re, sys

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--functions-over", type=int, default=60)
parser.add_argument("--files", type=int, default=10)
args = parser.parse_args()

total = 0
files = []
functions = []
for root, _, names in os.walk(os.path.join(top, "src")):
    for name in names:
        if not name.endswith((".c", ".h")):
            continue
        path = os.path.join(root, name)
        lines = open(path, errors="replace").read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        rel = os.path.relpath(path, top)
        total += len(lines)
        files.append((len(lines), rel))
        if not name.endswith(".c"):
            continue
        start = None
        for i, line in enumerate(lines):
            if line.startswith("{"):
                start = i
            elif line.startswith("}") and start is not None:
                length = i - start - 1
                fname = "?"
                for j in range(start - 1, max(start - 10, -1), -1):
                    m = re.match(r"^([a-z_][a-z0-9_]*) *\(", lines[j])
                    if m:
                        fname = m.group(1)
                        break
                functions.append((length, fname, rel))
                start = None

files.sort(reverse=True)
functions.sort(reverse=True)
long_ones = [f for f in functions if f[0] > args.functions_over]
print(f"{total} lines of C under src/ in {len(files)} files")
print(f"largest files:")
for n, rel in files[:args.files]:
    print(f"  {n:5d}  {rel}")
print(f"{len(long_ones)} functions over {args.functions_over} lines; longest:")
for n, fname, rel in long_ones[:15]:
    print(f"  {n:5d}  {fname} ({rel})")
over_120 = [f for f in functions if f[0] > 120]
over_1200 = [f for f in files if f[0] > 1200]
print(f"functions over 120 lines: {len(over_120)}; files over 1,200 lines: {len(over_1200)}")
