// node dynalite_replay.js URL CASES.json: sends each request of CASES.json to the DynamoDB
// endpoint at URL (JSON 1.0 protocol) one after the other and prints one JSON line per
// request: {"status": <HTTP status>, "body": <parsed body>}. Requests are signed with SigV4
// (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, default "test") when the aws4
// package is available, so the same script drives dynalite and the local cloud.
'use strict';
const fs = require('fs');
const http = require('http');

const [url, casesPath] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(casesPath, 'utf8'));
const target = new URL(url);

let aws4 = null;
try {
  aws4 = require('aws4');
} catch (e) {
  aws4 = null;
}

function requestOptions(op, body) {
  const options = {
    host: target.hostname, port: target.port, path: '/', method: 'POST',
    service: 'dynamodb', region: process.env.AWS_REGION || 'us-east-1', body: body,
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': 'DynamoDB_20120810.' + op,
    },
  };
  if (aws4) {
    return aws4.sign(options, {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID || 'test',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY || 'test',
    });
  }
  // dynalite checks only that a SigV4 header is present.
  const date = new Date().toISOString().replace(/[:-]|\.\d{3}/g, '');
  options.headers['X-Amz-Date'] = date;
  options.headers['Authorization'] = 'AWS4-HMAC-SHA256 Credential=test/' + date.slice(0, 8) +
      '/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, ' +
      'Signature=0000000000000000000000000000000000000000000000000000000000000000';
  options.headers['Content-Length'] = Buffer.byteLength(body);
  return options;
}

function send(op, input) {
  const body = JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const req = http.request(requestOptions(op, body), (res) => {
      let data = '';
      res.on('data', (chunk) => { data += chunk; });
      res.on('end', () => {
        let parsed = null;
        try { parsed = JSON.parse(data); } catch (e) { parsed = { raw: data }; }
        resolve({ status: res.statusCode, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

// dynalite creates and updates tables asynchronously even with zero delays: wait until the
// table is ACTIVE, as a client would.
async function waitActive(table) {
  for (let i = 0; i < 100; i++) {
    const r = await send('DescribeTable', { TableName: table });
    if (r.status !== 200 || r.body.Table.TableStatus === 'ACTIVE') {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

(async () => {
  for (const c of cases) {
    const r = await send(c.op, c.input);
    process.stdout.write(JSON.stringify(r) + '\n');
    if ((c.op === 'CreateTable' || c.op === 'UpdateTable') && r.status === 200) {
      await waitActive(c.input.TableName);
    }
  }
})().catch((e) => { console.error(e); process.exit(1); });
