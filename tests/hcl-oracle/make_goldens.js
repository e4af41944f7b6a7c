// Writes, for each file in SRC_DIR, OUT_DIR/NAME.tf and the oracle's NAME.tf.json or
// NAME.tf.error (see ./run).
const fs = require('fs');
const path = require('path');
const { parse } = require('@cdktf/hcl2json');
(async () => {
  const [src, out] = process.argv.slice(2);
  fs.mkdirSync(out, { recursive: true });
  const files = fs.readdirSync(src).filter(f => fs.statSync(path.join(src, f)).isFile());
  let n = 0;
  for (const f of files) {
    const text = fs.readFileSync(path.join(src, f), 'utf8');
    const raw = fs.readFileSync(path.join(src, f));
    const name = f.replace(/[^A-Za-z0-9_.-]/g, '_') + '.tf';
    try {
      const json = await parse('input.tf', text);
      fs.writeFileSync(path.join(out, name), text);
      fs.writeFileSync(path.join(out, name + '.json'), JSON.stringify(json));
    } catch (e) {
      const msg = String(e && e.message ? e.message : e);
      fs.writeFileSync(path.join(out, name), text);
      fs.writeFileSync(path.join(out, name + '.error'), msg);
    }
    n++;
  }
  console.log('generated', n);
})();
