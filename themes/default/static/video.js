/* Click-to-load video player of project and demo day pages.
 *
 * The page shows a YouTube, Vimeo or RuTube video as a link to the provider's page over a
 * local poster (macros.html, `video_player`): nothing is loaded from the provider while
 * the visitor only reads, and without JavaScript the link opens the provider's page.
 * With this script the link is a button: a click, Enter or Space puts the provider's
 * player (an <iframe> of data-embed, which starts playing) in its place and moves the
 * focus into it. A click with a modifier key still opens the page as a link does.
 * The players' hosts are the page's Content-Security-Policy `frame-src`.
 */
(function () {
  'use strict';
  var HOSTS = ['www.youtube-nocookie.com', 'player.vimeo.com', 'rutube.ru'];

  function play(link) {
    var url;
    try {
      url = new URL(link.getAttribute('data-embed'));
    } catch (e) {
      return false;
    }
    if (url.protocol !== 'https:' || HOSTS.indexOf(url.hostname) < 0) return false;
    var frame = document.createElement('iframe');
    frame.className = 'video-frame';
    frame.src = url.href;
    frame.title = link.getAttribute('data-title') || link.textContent.trim();
    frame.setAttribute('allow', 'autoplay; fullscreen; picture-in-picture');
    frame.setAttribute('allowfullscreen', '');
    frame.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
    link.parentNode.replaceChild(frame, link);
    frame.focus();
    return true;
  }

  Array.prototype.forEach.call(document.querySelectorAll('a.video-poster[data-embed]'), function (link) {
    link.setAttribute('role', 'button');
    link.addEventListener('click', function (event) {
      // Enter on a link fires this too. A middle click, or Ctrl/Cmd/Shift/Alt, opens the page.
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      if (play(link)) event.preventDefault();
    });
    link.addEventListener('keydown', function (event) {
      // A button answers Space as well (a link alone would scroll the page).
      if (event.key === ' ' || event.key === 'Spacebar') {
        event.preventDefault();
        if (!play(link)) link.click();
      }
    });
  });
})();
