// Digital Bazaar's Data Integrity stack behind one JSON request on stdin and one JSON answer on
// stdout, for tests/interop/test_digital_bazaar.py. Requests:
//   {"operation": "keygen", "curve": "P-256" | "P-384" | "Ed25519"}        -> exported key pair
//   {"operation": "issue", "credential", "key", "cryptosuite", "mandatoryPointers"?}
//   {"operation": "derive", "credential", "selectivePointers"}
//   {"operation": "verify", "credential"}                                   -> {"verified", "error"}
// Every request may carry "contexts" ({url: document}) beside the bundled W3C ones.
// Answers are {"result": ...} or {"error": "..."}; nothing is fetched from the network.
import * as didKey from '@digitalbazaar/did-method-key';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as ecdsaSd2023 from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import {CachedResolver} from '@digitalbazaar/did-io';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import multikeyContext from '@digitalbazaar/multikey-context';

const MULTIKEYS = {
  'P-256': {header: 'zDna', library: EcdsaMultikey},
  'P-384': {header: 'z82L', library: EcdsaMultikey},
  Ed25519: {header: 'z6Mk', library: Ed25519Multikey}
};

function documentLoader(extraContexts = {}) {
  const loader = new JsonLdDocumentLoader();
  for(const [url, document] of [
    ...credentialsContexts,
    ...dataIntegrityContext.contexts,
    ...multikeyContext.contexts,
    ...Object.entries(extraContexts)
  ]) {
    loader.addStatic(url, document);
  }
  const driver = didKey.driver();
  for(const {header, library} of Object.values(MULTIKEYS)) {
    driver.use({multibaseMultikeyHeader: header, fromMultibase: library.from});
  }
  const resolver = new CachedResolver();
  resolver.use(driver);
  loader.setDidResolver(resolver);
  return loader.build();
}

function keyLibrary(publicKeyMultibase) {
  const found = Object.values(MULTIKEYS).find(
    ({header}) => publicKeyMultibase.startsWith(header));
  if(!found) {
    throw new Error(`no Multikey library for ${publicKeyMultibase}`);
  }
  return found.library;
}

async function keygen({curve}) {
  const {library} = MULTIKEYS[curve];
  const keyPair = curve === 'Ed25519' ?
    await library.generate() : await library.generate({curve});
  const controller = `did:key:${keyPair.publicKeyMultibase}`;
  keyPair.controller = controller;
  keyPair.id = `${controller}#${keyPair.publicKeyMultibase}`;
  return keyPair.export({publicKey: true, secretKey: true, includeContext: true});
}

function verifyingCryptosuite(name) {
  const suites = {
    'ecdsa-sd-2023': () => ecdsaSd2023.createVerifyCryptosuite(),
    'ecdsa-rdfc-2019': () => ecdsaRdfc2019,
    'eddsa-rdfc-2022': () => eddsaRdfc2022
  };
  if(!suites[name]) {
    throw new Error(`unsupported cryptosuite ${name}`);
  }
  return suites[name]();
}

async function issue({credential, key, cryptosuite, mandatoryPointers = []}, loader) {
  const keyPair = await keyLibrary(key.publicKeyMultibase).from(key);
  const suites = {
    'ecdsa-sd-2023': () => ecdsaSd2023.createSignCryptosuite({mandatoryPointers}),
    'ecdsa-rdfc-2019': () => ecdsaRdfc2019,
    'eddsa-rdfc-2022': () => eddsaRdfc2022
  };
  const suite = new DataIntegrityProof({
    signer: keyPair.signer(), cryptosuite: suites[cryptosuite]()
  });
  return vc.issue({credential, suite, documentLoader: loader});
}

async function derive({credential, selectivePointers}, loader) {
  const suite = new DataIntegrityProof({
    cryptosuite: ecdsaSd2023.createDiscloseCryptosuite({selectivePointers})
  });
  return vc.derive({verifiableCredential: credential, suite, documentLoader: loader});
}

async function verify({credential}, loader) {
  const proofs = Array.isArray(credential.proof) ? credential.proof : [credential.proof];
  const suite = proofs.map(proof => new DataIntegrityProof({
    cryptosuite: verifyingCryptosuite(proof?.cryptosuite)
  }));
  const result = await vc.verifyCredential({credential, suite, documentLoader: loader});
  const errors = [result.error, ...(result.results || []).map(r => r.error)]
    .filter(Boolean)
    .map(error => error.errors ? error.errors.map(e => e.message).join('; ') : error.message);
  return {verified: result.verified, error: errors.join('; ') || null};
}

const OPERATIONS = {keygen, issue, derive, verify};

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const operation = OPERATIONS[request.operation];
  if(!operation) {
    throw new Error(`unknown operation ${request.operation}`);
  }
  return operation(request, documentLoader(request.contexts));
}

main().then(
  result => process.stdout.write(JSON.stringify({result})),
  error => process.stdout.write(JSON.stringify({error: String(error?.stack || error)}))
);
