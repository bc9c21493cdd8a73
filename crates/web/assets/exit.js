// "Exit this page" on the public site's sensitive forms: leave for the
// site's home page and replace this page in the history, so Back does not
// return to it. Without JavaScript the link still leaves.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.exit-page");
  if (!link) return;
  event.preventDefault();
  window.location.replace(link.href);
});
