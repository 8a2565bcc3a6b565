// Requests for the public https hosts go to their plain-http servers on 127.0.0.1, as
// tests/loopback.py does for Python: both node's https module (which node-fetch, under
// cross-fetch, uses) and the global fetch are routed. Any other host is refused.
import http from 'node:http';
import https from 'node:https';

export function routeHosts(ports) {
  https.request = (...args) => {
    let [target, options, callback] = args;
    if (typeof target === 'string' || target instanceof URL) {
      const url = new URL(target);
      if (typeof options === 'function') {
        [callback, options] = [options, {}];
      }
      options = {...options, hostname: url.hostname, path: url.pathname + url.search};
    } else {
      [callback, options] = [options, target];
    }
    const host = options.hostname || String(options.host || '').split(':')[0];
    if (!(host in ports)) {
      throw new Error(`${host} is not served in this test`);
    }
    const {agent, protocol, host: _host, port, ...rest} = options;
    return http.request(
      {...rest, hostname: '127.0.0.1', port: ports[host], headers: {...rest.headers, host}},
      callback
    );
  };
  const send = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (!(url.hostname in ports)) {
      return Promise.reject(new Error(`${url.hostname} is not served in this test`));
    }
    const port = ports[url.hostname];
    Object.assign(url, {protocol: 'http:', hostname: '127.0.0.1', port: String(port)});
    return send(url, init);
  };
}

export async function readRequest() {
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk;
  }
  return JSON.parse(text);
}

export async function answer(operations) {
  const request = await readRequest();
  routeHosts(request.ports || {});
  try {
    const result = await operations[request.operation](request);
    console.log(JSON.stringify({result}));
  } catch (error) {
    console.log(JSON.stringify({error: `${error.name}: ${error.message}`}));
  }
}
