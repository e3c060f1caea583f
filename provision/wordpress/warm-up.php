<?php
// P3: one front-page view before the evidence is taken. WordPress creates some options only
// on a first visit (salts, widget defaults, theme mods); taken after this, the evidence holds
// the blog's data at rest, and later views change only transients.
$_SERVER['HTTP_HOST'] = getenv('HALAB_HOST');
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
define('WP_USE_THEMES', true);
ob_start();
require '/usr/share/wordpress/wp-blog-header.php';
$html = ob_get_clean();
$title = sprintf('第%d篇', (int) getenv('HALAB_POSTS'));
printf("front page: %d bytes, newest post %s\n", strlen($html), strpos($html, $title) !== false ? 'shown' : 'MISSING');
exit(strpos($html, $title) !== false ? 0 : 1);
