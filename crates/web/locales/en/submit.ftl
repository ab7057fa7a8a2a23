## Submission form and curator queue

## Submission: frame
submit-title = Share a case
submit-status = This case is { $status }.
submit-steps-label = Steps
submit-returned = A curator returned this case to you with this comment:
submit-saved = Draft saved. You can leave and come back to it from "My cases".
submit-linked = The link is recorded: both cases will show it once yours is published.
submit-based-on-title = Is your innovation based on one of these?
submit-based-on-intro = Published cases like yours. If yours replicates, adapts, scales up or was inspired by one of them, say so: both cases will show the link.
submit-based-on-recorded = Your case records:
submit-based-on-none = No similar published case was found yet. You can add a link later from the case page.
submit-based-on-how = How
submit-based-on-button = Based on this one
submit-conflict = Someone saved this case while you were editing it (it is now at version { $version }). Your text is kept below: saving again replaces their changes, or open the latest version first.
submit-conflict-reload = Open the latest version (your unsaved text will be lost)
submit-errors-title = { $count ->
    [one] There is 1 problem to fix before this step can be saved
   *[other] There are { $count } problems to fix before this step can be saved
}
submit-choose = — choose —
submit-next = Save and continue
submit-save = Save draft
submit-back-step = Save and go back
submit-back = Back to editing
submit-digital-unknown = Not sure
submit-example = Example: { $example }

## Submission: steps
submit-step-identity = Title and summary
submit-step-place = Place and organisations
submit-step-classification = Classification
submit-step-story = The story
submit-step-evidence = Evidence and links
submit-step-contacts = Contact
submit-step-preview = Preview and submit
submit-intro-identity = Start with the language you write in, a title and a short summary. Everything is saved as a draft that only you and the curators can see.
submit-intro-place = Where the innovation happens and who is behind it.
submit-intro-classification = These choices help readers find the case by sector, type and goal.
submit-intro-story = Tell the story in your own words. Write as much as you know; you can use Markdown (**bold**, lists, links). Sections you leave empty are not shown.
submit-intro-evidence = Where readers can check results or learn more.
submit-intro-contacts = Who readers can contact to learn more. The contact is shown publicly once the case is published.
submit-intro-preview = This is how readers will see the case. Check it, then submit it for review by a curator.
submit-completeness = Completeness: { $score }%
submit-missing = Still missing for a complete case:
submit-preview-label = Preview
submit-send = Submit for review
submit-send-hint = A curator will read the case and publish it or return it to you with comments. You cannot edit it while it is under review.

## Submission: fields
submit-field-original-language = Language you write in
submit-field-title = Title
submit-field-summary = Summary
submit-field-country = Country
submit-field-region = Province or region
submit-field-city = City or district
submit-field-place = Official place in Indonesia
submit-hint-place = For a case in Indonesia: the province, regency or city by its official code. Leave it empty to have the region and city above matched where they can be.
submit-field-level-of-government = Level of government
submit-field-organisations = Organisations behind the case
submit-field-partners = Partners
submit-field-sectors = Sectors
submit-field-innovation-facets = Type of innovation
submit-field-lifecycle-stage = Lifecycle stage
submit-field-sdgs = Sustainable Development Goals
submit-field-year-launched = Year launched
submit-field-operating-status = Operating status
submit-field-operating-status-date = Date the operating status changed
submit-field-digital = Is it a digital innovation?
submit-field-tags = Tags
submit-field-problem = The problem
submit-field-novelty = What is new
submit-field-how-it-works = How it works
submit-field-results = Results
submit-field-evidence = Evidence
submit-field-challenges = Challenges
submit-field-conditions-for-success = Conditions for success
submit-field-replication-potential = Potential for replication
submit-field-resources = Resources
submit-field-lessons-learned = Lessons learned
submit-field-website = Website
submit-field-links = Links
submit-field-contact-name = Contact name
submit-field-contact-email = Contact e-mail address
submit-field-contact-organisation = Contact organisation
submit-field-contact = Contact
submit-field-status = Workflow status
submit-field-source-url = Source
submit-field-last-confirmed = Last confirmed accurate
submit-hint-original-language = The title, summary and story are saved in this language. Translations can be added later.
submit-hint-title = A short name for the innovation, at most 300 characters.
submit-hint-summary = One paragraph: what was done, for whom and with what result.
submit-hint-organisations = Tick the organisations that run the innovation. Ask a curator to add one that is missing.
submit-hint-partners = Other partners, one per line.
submit-hint-year-launched = For example 2019.
submit-hint-operating-status-date = Required when the innovation has been discontinued.
submit-hint-tags = Keywords separated by commas, for example: one-stop shop, complaints.
submit-hint-website = The innovation's own web site, starting with https://.
submit-hint-links = One link per line: the address, a space, then a title. For example: https://example.go.id/report Evaluation report
submit-hint-contact-email = Shown publicly once the case is published.

## Submission: story guidance and examples
submit-guide-problem = What problem did the innovation address, and for whom? Why did it matter?
submit-example-problem = Citizens had to visit several offices, often more than once, to get a business permit.
submit-guide-novelty = What is new about the approach, compared with what was done before or elsewhere?
submit-example-novelty = For the first time, all permit services are offered at one counter, with one queue.
submit-guide-how-it-works = How does it work in practice: who does what, with which tools and steps?
submit-example-how-it-works = Agencies place staff at shared counters; an online booking system spreads visits over the day.
submit-guide-results = What changed? Give figures where you can.
submit-example-results = Average waiting time fell from 3 days to 2 hours in the first year.
submit-guide-evidence = How do you know? Evaluations, surveys, data sources.
submit-example-evidence = A 2021 citizen satisfaction survey by the provincial statistics office (n = 1,200).
submit-guide-challenges = What went wrong or was hard, and how was it handled?
submit-example-challenges = Agencies were reluctant to share staff; a regulation from the governor settled it.
submit-guide-conditions-for-success = What had to be in place for it to work?
submit-example-conditions-for-success = Strong support from the head of region and a shared budget line.
submit-guide-replication-potential = Could others do the same? What would they need to adapt?
submit-example-replication-potential = Twelve other districts have copied the model; small districts share one building between two.
submit-guide-resources = What did it cost, in money, people and time?
submit-example-resources = About IDR 4 billion for the building and 30 staff seconded from agencies.
submit-guide-lessons-learned = What would you tell someone starting the same thing tomorrow?
submit-example-lessons-learned = Start with the five most requested services, then add more.

## Review queue
curate-title = Review queue
curate-submitted = Cases waiting for review
curate-empty = No case is waiting for review.
curate-author = Author
curate-date = Submitted
curate-nominations = Nominations from other nodes
curate-nominations-empty = No nomination is waiting.
curate-nominated-by = Nominated by { $node }
curate-accept = Accept and publish here
curate-decline = Decline
curate-decline-reason = Reason for declining
curate-done-returned = The case has been returned to its author.
curate-done-published = The case is published.
curate-done-accepted = The nomination is accepted; the case is published here.
curate-done-declined = The nomination is declined.
curate-review-title = Review a case
curate-back = Back to the review queue
curate-open-case = Open the case as it will be shown
curate-changes = What changed
curate-from = From version
curate-to = to version
curate-compare = Compare
curate-no-changes = Nothing changed between these versions.
curate-diff-caption = Changes from version { $from } to version { $to }
curate-field = Field
curate-before = Before
curate-after = After
curate-comments = Comments
curate-comments-empty = No comments yet.
curate-decide = Decision
curate-return-comment = Comment for the author
curate-return-hint = Say what the author should add or change. The author sees this comment.
curate-return = Return to the author
curate-publish-hint = Publishing makes the case public on this node.
curate-publish = Publish
curate-not-submitted = This case is { $status }: there is nothing to decide now.

## Translation
translate-title = Translate into { $language }
translate-intro = Each text of the case in { $original } stands beside a field for its { $language } version. Leave a field empty to leave that text untranslated; readers then see the original with a note.
translate-other = Translate into another language:
translate-empty = (empty in the original)
translate-save = Save the translation
translate-saved = The translation has been saved.
translate-reload = Reload the latest version
case-translate = Translate into { $language }
