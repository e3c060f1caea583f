<?php
// P3: the blog's data, made by WordPress itself: its installer (wp_install) and its own API for
// posts and comments. Run by php-cli on linux01; settings come from the environment.
$_SERVER['HTTP_HOST'] = getenv('HALAB_HOST');
$_SERVER['REQUEST_URI'] = '/';
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if (!is_blog_installed()) {
    $result = wp_install(getenv('HALAB_TITLE'), 'admin', 'admin@ha-lab.invalid', false, '', getenv('HALAB_ADMIN_PASSWORD'));
    echo "installed: user {$result['user_id']}\n";
}
switch_theme('twentytwentythree');

$posts = (int) getenv('HALAB_POSTS');
$comments = (int) getenv('HALAB_COMMENTS');
$existing = (int) wp_count_posts('post')->publish;
for ($i = $existing + 1; $i <= $posts; $i++) {
    // Multi-byte titles and text: the conversion must keep every byte of them.
    $id = wp_insert_post([
        'post_title' => sprintf('第%d篇：高可用测试 DRBD 心跳 #%d', $i, $i),
        'post_content' => sprintf("<!-- wp:paragraph --><p>数据必须在故障切换后保留。Post %d of the ha-lab seed: ünïcödé, 日本語, emoji-free.</p><!-- /wp:paragraph -->", $i),
        'post_status' => 'publish',
        'post_author' => 1,
    ], true);
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\n"); exit(1); }
    for ($c = 1; $c <= $comments; $c++) {
        wp_insert_comment([
            'comment_post_ID' => $id,
            'comment_author' => "读者 $c",
            'comment_author_email' => "reader$c@ha-lab.invalid",
            'comment_content' => "评论 $c on post $i: 很好",
            'comment_approved' => 1,
        ]);
    }
}
printf("posts: %d published, comments: %d\n", wp_count_posts('post')->publish, wp_count_comments()->approved);
