## Mail settings and unsubscribing

mail-settings-title = E-mail
mail-settings-legend = How often should we e-mail you about your notifications?
mail-settings-button = Save
mail-settings-done = Your e-mail setting has been saved.
mail-frequency-immediately = Immediately
mail-frequency-immediately-hint = One message for each notification, as it happens.
mail-frequency-daily = Daily digest
mail-frequency-daily-hint = One message a day, grouped by discussion.
mail-frequency-weekly = Weekly digest
mail-frequency-weekly-hint = One message a week, grouped by discussion.
mail-frequency-never = Never
mail-frequency-never-hint = No e-mail. Your inbox and your feed still show everything.
mail-frequency-missing = Choose how often you want e-mail.
account-mail-link = E-mail settings
account-language = Your language
account-language-label = The language of the mail and digests this node sends you
account-language-button = Save the language
account-language-done = Your language is saved.
unsubscribe-title = Stop e-mail
unsubscribe-ask = Stop all e-mail from this node to this account? Your inbox keeps your notifications.
unsubscribe-button = Stop e-mail
unsubscribe-done = You will get no more e-mail from this node.
unsubscribe-done-hint = You can turn e-mail back on under E-mail in your account.

## Messages

mail-open = Open
mail-footer-why = You get this message because you follow this discussion or take part in it.
mail-footer-settings = Change how often you get e-mail
mail-footer-stop = Stop all e-mail
mail-digest-daily = { $count ->
    [one] One notification
   *[other] { $count } notifications
} today in { $threads ->
    [one] one discussion
   *[other] { $threads } discussions
}
mail-digest-weekly = { $count ->
    [one] One notification
   *[other] { $count } notifications
} this week in { $threads ->
    [one] one discussion
   *[other] { $threads } discussions
}
mail-notice-other = { $actor } wrote in a discussion you follow
mail-someone = Someone
mail-a-discussion = A discussion
mail-your-inbox = Your inbox
mail-notice-moderation = A moderator decided about your post
mail-notice-appeal = A moderator decided your appeal
mail-notice-answer = { $actor } answered your question
mail-notice-ask = { $actor } asked your team a question
mail-notice-mention = { $actor } mentioned you
mail-notice-reply = { $actor } replied to you
mail-notice-quote = { $actor } quoted you
mail-notice-thread = { $actor } started a discussion
mail-notice-post = { $actor } wrote in a discussion you watch
mail-notice-case_published = A case you follow was published
mail-notice-case_nominated = A case you follow was nominated upstream
mail-notice-case_changed = A case you follow was changed
mail-notice-checkin_due = A check-in is due: please confirm whether your case is still running
mail-notice-post_translated = { $actor } translated a post
