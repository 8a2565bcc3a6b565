// The OpenWallet Foundation's SD-JWT VC library (@sd-jwt/sd-jwt-vc) behind one JSON request on
// stdin and one JSON answer on stdout, for test_interop.py. Requests (each may carry "ports",
// {public host: loopback port}, to reach our real servers):
//   {"operation": "verify", "presentation", "audience", "nonce"}
//       -> the claims, the KB-JWT payload, the header, the type metadata (their schema)
//   {"operation": "present", "issued", "holderJwk", "frame", "audience", "nonce"}
//       -> {"presentation"}: their holder's presentation of the claims in "frame"
// The issuer key comes from the issuer's JWT VC Issuer Metadata (kid from the header), the
// holder key from cnf.jwk; the library checks the Disclosures, the KB-JWT's nonce and sd_hash,
// and the Token Status List (fetched, signature checked, entry 0 required).
// Answers are {"result": ...} or {"error": "..."}.
import {SDJwtVcInstance, TypeMetadataFormatSchema} from '@sd-jwt/sd-jwt-vc';
import {ES256, digest, generateSalt} from '@sd-jwt/crypto-nodejs';
import {answer} from './loopback.mjs';

function part(jwt, index) {
  return JSON.parse(Buffer.from(jwt.split('.')[index], 'base64url'));
}

async function issuerVerifier(issuer, kid) {
  const url = new URL(issuer);
  const where = `${url.origin}/.well-known/jwt-vc-issuer${url.pathname.replace(/\/$/, '')}`;
  const metadata = await (await fetch(where)).json();
  if (metadata.issuer !== issuer) {
    throw new Error(`the metadata at ${where} is for ${metadata.issuer}`);
  }
  const jwk = metadata.jwks.keys.find((key) => key.kid === kid);
  if (!jwk) {
    throw new Error(`the issuer publishes no key ${kid}`);
  }
  return ES256.getVerifier(jwk);
}

async function verify({presentation, audience, nonce}) {
  const verifier = await issuerVerifier(part(presentation, 1).iss, part(presentation, 0).kid);
  const sdjwt = new SDJwtVcInstance({
    hasher: digest,
    verifier,
    kbVerifier: async (data, signature, payload) =>
      (await ES256.getVerifier(payload.cnf.jwk))(data, signature),
    loadTypeMetadataFormat: false,
  });
  const result = await sdjwt.verify(presentation, {
    keyBindingNonce: nonce,
    requiredClaimKeys: ['iss', 'vct', 'cnf', 'status'],
  });
  if (!result.kb || result.kb.payload.aud !== audience) {
    throw new Error(`the KB-JWT is for ${result.kb?.payload.aud}, not ${audience}`);
  }
  const served = await fetch(result.payload.vct);
  const typeMetadata = TypeMetadataFormatSchema.safeParse(await served.json());
  if (!typeMetadata.success) {
    throw new Error(`the type metadata does not parse: ${typeMetadata.error}`);
  }
  return {
    claims: await sdjwt.getClaims(presentation),
    kb: result.kb.payload,
    header: result.header,
    typeMetadata: typeMetadata.data,
  };
}

async function present({issued, holderJwk, frame, audience, nonce}) {
  const sdjwt = new SDJwtVcInstance({
    hasher: digest,
    saltGenerator: generateSalt,
    kbSigner: await ES256.getSigner(holderJwk),
    kbSignAlg: ES256.alg,
  });
  const presentation = await sdjwt.present(issued, frame, {
    kb: {payload: {iat: Math.floor(Date.now() / 1000), aud: audience, nonce}},
  });
  return {presentation};
}

await answer({verify, present});
