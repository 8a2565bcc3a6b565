// An outside verifier built from Digital Bazaar's libraries (npm): it verifies the demo
// citizen's Basis credential from a running blauwe-knop issuer, with everything the credential
// points to (the did:web DID document, our JSON-LD context, the status lists) fetched over https
// from that service alone. Nothing of this runs in `make test`; run it by hand:
//
//   blauwe-knop issuer serve --demo --dev-tls --port 8443 --data-dir /tmp/issuer   # terminal 1
//   mkdir -p /tmp/outside && cp scripts/outside-verifier/* /tmp/outside                # terminal 2
//   cd /tmp/outside && npm install
//   NODE_EXTRA_CA_CERTS=/tmp/issuer/tls/cert.pem node check.mjs https://localhost:8443
//
// It prints what it resolved and fetched, and exits 0 when the credential verified.
import * as vc from '@digitalbazaar/vc';
import {CachedResolver} from '@digitalbazaar/did-io';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {DidWebDriver} from '@digitalbazaar/did-method-web';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import {cryptosuite as rdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import jsonld from 'jsonld';

const base = process.argv[2];
const source = `${base}/belastingdienst`;
const fetched = [];

// did:web through Digital Bazaar's resolver (its own https client).
const didWeb = new DidWebDriver();
didWeb.use({multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from});
const resolver = new CachedResolver();
resolver.use(didWeb);

// Contexts: the W3C ones from their npm packages; ours (and anything else over https,
// the status lists) through jsonld.js's node loader, from the running service.
const w3c = new Map([
  ...credentialsContext.contexts,
  ...dataIntegrityContext.contexts,
  ...multikeyContext.contexts,
]);
const nodeLoader = jsonld.documentLoaders.node();
const OUR_CONTEXT = 'https://issuer.example.nl/contexts/nl-vc/v1';

async function documentLoader(url) {
  if(w3c.has(url)) {
    return {contextUrl: null, documentUrl: url, document: w3c.get(url)};
  }
  if(url.startsWith('did:web:')) {
    fetched.push(url);
    const document = await resolver.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  if(url === OUR_CONTEXT) {
    // Our context keeps its URL in credentials; the service serves it at the same path.
    const where = `${base}${new URL(url).pathname}`;
    fetched.push(where);
    return {...await nodeLoader(where), documentUrl: url};
  }
  // Status list credentials come as application/vc, which jsonld.js's loader leaves
  // unparsed; a plain https GET reads them.
  fetched.push(url);
  const response = await fetch(url, {headers: {accept: 'application/vc'}});
  if(!response.ok) {
    throw new Error(`${url} answered ${response.status}`);
  }
  return {contextUrl: null, documentUrl: url, document: JSON.parse(await response.text())};
}

// The citizen's Basis credential (ecdsa-rdfc-2019: anyone may verify it).
const login = await fetch(`${base}/demo-login`, {
  method: 'POST', body: new URLSearchParams({bsn: '999993653'}),
});
const cookie = login.headers.get('set-cookie').split(';')[0];
const answer = await fetch(`${source}/basis/credential.json`, {headers: {cookie}});
const credential = await answer.json();

const suite = new DataIntegrityProof({cryptosuite: rdfc2019});
const result = await vc.verifyCredential({
  credential, suite, documentLoader,
  checkStatus: options => checkStatus({...options, suite}),
});
const didDocument = await resolver.get({did: credential.issuer});
const context = await nodeLoader(`${base}/contexts/nl-vc/v1`);
console.log(JSON.stringify({
  issuer: credential.issuer,
  didDocumentId: didDocument.id,
  contextTerms: Object.keys(context.document['@context']).length,
  verified: result.verified,
  statusResults: (result.statusResult?.results || []).map(
    r => [r.credentialStatus.statusPurpose, r.status]),
  error: result.error ? String(result.error.message || result.error) : null,
  fetched: [...new Set(fetched)],
}, null, 2));
process.exit(result.verified ? 0 : 1);
