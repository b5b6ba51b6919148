"""What the browser tests share to catch Content-Security-Policy violations."""

# Added with page.add_init_script(): every violation lands in window.__cspViolations, which a
# test then expects to be empty (directive, blocked URI, the element and a sample, to debug).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI + " " + (event.target && event.target.outerHTML ? event.target.outerHTML.slice(0, 100) : "") + " " + event.sample);
});
"""
