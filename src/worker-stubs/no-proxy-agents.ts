// Stands in for https-proxy-agent and http-proxy-agent (with debug and agent-base, about 20 KB minified) in the
// Worker bundle. The Azure SDK's workerd build imports them for its proxy policy, which builds one only when
// HTTPS_PROXY or HTTP_PROXY is set; a Worker's outbound requests cannot go through such a proxy anyway.
class ProxyAgentUnavailable {
  constructor() {
    throw new Error("HTTP proxies are not available on Workers: remove HTTPS_PROXY and HTTP_PROXY from the Worker's vars.");
  }
}

export { ProxyAgentUnavailable as HttpProxyAgent, ProxyAgentUnavailable as HttpsProxyAgent };
