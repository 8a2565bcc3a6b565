// Sphereon's OpenID4VCI client (@sphereon/oid4vci-client) against our issuer: one JSON request
// on stdin, one JSON answer on stdout, for test_interop.py:
//   {"operation": "receive", "offer", "txCode", "configurationId", "format", "ports"}
//       -> {"response": the credential response, "jwk": the holder's public key}
// The client resolves the offer by reference, reads the issuer and authorization-server
// metadata, redeems the pre-authorized code with the transaction code, takes a nonce from the
// nonce endpoint and asks for the credential with one JWT proof (the key as "jwk"). The
// holder key is a fresh P-256 key made here.
import crypto from 'node:crypto';
import {answer} from './loopback.mjs';

const {OpenID4VCIClientV1_0_15} = await import('@sphereon/oid4vci-client');

async function receive({offer, txCode, configurationId, format}) {
  const {privateKey, publicKey} = crypto.generateKeyPairSync('ec', {namedCurve: 'P-256'});
  const jwk = publicKey.export({format: 'jwk'});
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signCallback = async ({header, payload}) => {
    const {kid, ...rest} = header;
    const input = `${encode({...rest, alg: 'ES256', jwk})}.${encode(payload)}`;
    const signature = crypto.sign('sha256', Buffer.from(input), {
      key: privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return `${input}.${signature.toString('base64url')}`;
  };
  const client = await OpenID4VCIClientV1_0_15.fromURI({
    uri: offer,
    retrieveServerMetadata: true,
    alg: 'ES256',
    jwk,
  });
  await client.acquireAccessToken({pin: txCode});
  const response = await client.acquireCredentials({
    credentialConfigurationId: configurationId,
    proofCallbacks: {signCallback},
    format,
    alg: 'ES256',
    jwk,
  });
  return {response, jwk, version: client.version()};
}

await answer({receive});
