// Fragment aliases from the URL ledger: a published anchor whose words have moved (#p3 → #p4)
// is sent to where they are now. GitHub Pages never sees a #fragment, so only the page can.
// Runs from <head> on arrival only: a click inside the page is not redirected.
(function () {
  'use strict';
  var script = document.currentScript;
  var aliases;
  try {
    aliases = JSON.parse(script.getAttribute('data-aliases'));
  } catch (e) {
    return;
  }
  var anchor;
  try {
    anchor = decodeURIComponent(location.hash.slice(1));
  } catch (e) {
    return;
  }
  if (anchor && Object.prototype.hasOwnProperty.call(aliases, anchor)) {
    var target = aliases[anchor];
    var hash = target.indexOf('#');
    var path = hash < 0 ? target : target.slice(0, hash);
    // On the same page the query (`?r=…` on a concept page) stays.
    if (path === location.pathname) target = path + location.search + target.slice(path.length);
    location.replace(target);
  }
})();
