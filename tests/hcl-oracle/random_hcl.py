# Random HCL files (valid and not) exercising every expression form; see ./run.
import random, os, sys
random.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
names = ['a', 'b', 'var', 'local', 'x_y', 'foo-bar', 'count', 'each']
def ident(): return random.choice(names)
def ws(): return random.choice(['', ' ', '  '])
def num(): return random.choice(['0', '1', '42', '1.5', '2e3', '0.25', '100', '3.0'])
def strlit():
    parts = random.choice(['', 'x', 'hello world', 'a\\"b', 'tab\\t', '$${x}', '%%{y}', 'é', '\\\\', '\\u0041'])
    return '"' + parts + '"'
def template(d):
    n = random.randint(1, 3)
    s = '"'
    for _ in range(n):
        r = random.random()
        if r < 0.4:
            s += random.choice(['a', ' b ', '-', 'x.y', '$${z}', ' '])
        elif r < 0.8:
            s += '${' + random.choice(['', '~']) + ws() + expr(d + 1, intmpl=True) + ws() + random.choice(['', '~']) + '}'
        elif r < 0.9:
            s += '%{ if ' + expr(d + 1, intmpl=True) + ' }' + random.choice(['y', '${a}', '']) + random.choice(['', '%{ else }n']) + '%{ endif }'
        else:
            s += '%{ for ' + random.choice(['v', 'k, v']) + ' in ' + expr(d + 1, intmpl=True) + ' }' + random.choice(['${v}', 'z', '']) + '%{ endfor }'
    return s + '"'
def heredoc(d):
    marker = 'EOT'
    flush = random.random() < 0.5
    lines = []
    for _ in range(random.randint(0, 3)):
        ind = ' ' * random.randint(0, 4)
        lines.append(ind + random.choice(['text', '${a}', 'x ${b.c} y', '%{ if a ~}', '%{ endif ~}', '', '$${lit}']))
    # ensure if/endif balance
    body = '\n'.join(l for l in lines if 'if a' not in l and 'endif' not in l)
    if random.random() < 0.3:
        body += ('\n' if body else '') + '%{ if a ~}\n  yes\n%{ endif ~}'
    return '<<' + ('-' if flush else '') + marker + '\n' + body + ('\n' if body else '') + ' ' * random.randint(0, 2) + marker
def traversal(d):
    s = ident()
    for _ in range(random.randint(0, 3)):
        r = random.random()
        if r < 0.5: s += '.' + ident()
        elif r < 0.65: s += '[' + expr(d + 1) + ']'
        elif r < 0.75: s += '.' + str(random.randint(0, 3))
        elif r < 0.87: s += '[*]'
        else: s += '.*'
    return s
ops = ['+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', '&&', '||']
def expr(d=0, intmpl=False):
    if d > 3:
        return random.choice([num(), ident(), strlit(), 'true', 'null'])
    r = random.random()
    if r < 0.12: return num()
    if r < 0.2: return random.choice(['true', 'false', 'null'])
    if r < 0.3: return strlit()
    if r < 0.38: return template(d)
    if r < 0.5: return traversal(d)
    if r < 0.58: return expr(d + 1) + ws() + ' ' + random.choice(ops) + ' ' + ws() + expr(d + 1)
    if r < 0.63: return random.choice(['-', '!']) + ws() + random.choice([num(), traversal(d), '(' + expr(d + 1) + ')'])
    if r < 0.68: return expr(d + 1) + ' ? ' + expr(d + 1) + ' : ' + expr(d + 1)
    if r < 0.74: 
        args = [expr(d + 1) for _ in range(random.randint(0, 3))]
        s = random.choice(['f', 'merge', 'lookup', 'provider::p::fn']) + '(' + ', '.join(args)
        if args and random.random() < 0.2: s += '...'
        return s + ')'
    if r < 0.8: return '[' + ', '.join(expr(d + 1) for _ in range(random.randint(0, 3))) + random.choice(['', ',']) + ']'
    if r < 0.87:
        items = []
        for _ in range(random.randint(0, 3)):
            k = random.choice([ident(), strlit(), '(' + ident() + ')', ident() + '.' + ident(), num()])
            items.append(k + random.choice([' = ', ': ', '=']) + expr(d + 1))
        sep = random.choice([', ', '\n'])
        return '{' + ('\n' if sep == '\n' else '') + sep.join(items) + ('\n' if sep == '\n' else '') + '}'
    if r < 0.92:
        if random.random() < 0.5:
            return '[for ' + random.choice(['v', 'k, v']) + ' in ' + expr(d + 1) + ' : ' + expr(d + 1) + random.choice(['', ' if ' + expr(d + 1)]) + ']'
        return '{for ' + random.choice(['v', 'k, v']) + ' in ' + expr(d + 1) + ' : ' + expr(d + 1) + ' => ' + expr(d + 1) + random.choice(['', '...']) + random.choice(['', ' if ' + expr(d + 1)]) + '}'
    if r < 0.96 and not intmpl: return heredoc(d)
    return '(' + expr(d + 1) + ')'
def body(d, n):
    lines = []
    used = set()
    for _ in range(n):
        if random.random() < 0.7 or d > 2:
            nm = ident()
            if nm in used: continue
            used.add(nm)
            lines.append(nm + ' = ' + expr())
        else:
            labels = ' '.join(random.choice(['"l1"', 'l2', '"l 3"']) for _ in range(random.randint(0, 2)))
            lines.append(random.choice(['resource', 'data', 'dynamic', 'inner']) + ' ' + labels + ' {\n' + body(d + 1, random.randint(0, 3)) + '\n}')
    return '\n'.join(lines)
for i in range(int(sys.argv[3]) if len(sys.argv) > 3 else 300):
    open(os.path.join(out, 'r%04d' % i), 'w').write(body(0, random.randint(1, 6)) + '\n')
