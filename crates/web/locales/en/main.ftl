## Layout
skip-to-content = Skip to content
nav-label = Main
nav-browse = Browse cases
nav-dashboard = Dashboard
nav-submit = Share a case
nav-my-cases = My cases
nav-curate = Review queue
nav-admin = Administration
nav-signin = Sign in
nav-signout = Sign out
footer-about = A shared library of public-sector innovations: what one agency learned, for the next one.
footer-feed = New cases (Atom feed)
footer-api = API
feed-title = Newly published cases
yes = Yes
no = No
untitled = (untitled)

## Months
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec

## Home
home-title = Home
home-intro = Find how other governments solved the problem in front of you, share what your agency has learned, and follow it up the chain from national to regional to international.
home-count = { $count ->
    [one] One published case
   *[other] { $count } published cases
}
home-featured = Featured cases
home-latest = Latest cases
home-empty = No cases have been published yet.
home-all-cases = All cases, newest first
home-by-country = Cases by country
home-by-sector = Cases by sector

## Search
search-title = Browse and search cases
search-label = Search cases
search-placeholder = e.g. complaint handling, pelayanan publik
search-button = Search
search-sort = Sort by
search-sort-relevance = Relevance
search-sort-newest = Newest
search-filters = Filters
search-apply = Apply filters
search-facet-more = { $count ->
    [one] Show one more
   *[other] Show { $count } more
}
search-error = This search could not be run:
search-active = Filtered by:
search-remove = Remove filter { $filter }
search-results-count = { $count ->
    [one] 1 case
   *[other] { $count } cases
}
search-empty = No case matches this search.
search-empty-tip-words = Try fewer or more general words; English and Indonesian both work.
search-empty-tip-filters = Remove a filter to widen the search.
search-feed = Follow this search (Atom feed)
search-did-you-mean = Did you mean:
pager-label = Pages
pager-prev = Previous page
pager-next = Next page
hit-external = From { $node }
hit-discussion = Discussion

## Facets
facet-kind = Find
kind-case = Cases
kind-discussion = Discussions
facet-country = Country
facet-level = Level of government
facet-sector = Sector
facet-facet = Innovation type
facet-stage = Lifecycle stage
facet-sdg = Sustainable Development Goal
facet-year = Year launched
facet-organisation-type = Organisation type
facet-origin = Origin
facet-operating-status = Operating status
facet-completeness = Completeness
completeness-complete = Complete
completeness-incomplete = Incomplete
origin-local = This node

## Listings
listing-cases = { $count ->
    [one] 1 published case
   *[other] { $count } published cases
}
listing-empty = No published cases yet.
listing-search = Search and filter these cases
listing-organisations = Organisations
org-type = Type
org-parent = Part of
org-website = Website

## Sign-in and account
signin-title = Sign in
signin-button = Sign in
signin-missing = Enter your e-mail address and password.
signin-wrong = That e-mail address and password do not match an account.
signin-too-many = Too many failed attempts. Try again in { $seconds } seconds.
signin-no-account = No account yet? Ask your node's administrator to create one for you.
field-email = E-mail address
field-password = Password
field-name = Name
field-role = Role
field-organisation = Organisation
field-title = Title
field-status = Status
field-current-password = Current password
field-new-password = New password
field-confirm-password = New password again
account-title = Your account
account-password = Change password
account-password-hint = At least 10 characters. Your other sessions will be signed out.
account-password-button = Change password
account-password-done = Your password has been changed.
my-cases-title = My cases
my-cases-new = Share a new case
my-cases-empty = You have not written any cases yet.
my-cases-comment = Curator's comment
my-cases-actions = Actions
my-cases-continue = Continue editing

## Field errors (inline validation; $detail is the technical reason)
field-error-required = This field is required.
field-error-unknown-value = Choose one of the listed values.
field-error-too-long = This is too long: { $detail }.
field-error-invalid = This is not valid: { $detail }.
field-error-out-of-range = This value is out of range: { $detail }.
field-error-duplicate = A value appears twice.
field-error-mismatch = The two passwords differ.
field-error-too-short = This is too short: { $detail }.

## Errors
error-code = Error code
error-go-home = Go to the home page
error-go-search = Browse all cases
error-csrf = The form had expired or did not come from this site. Go back, reload the page and try again.
error-400-title = Something in the request was not right
error-400-text = The page could not use what was sent. Check the address or the form and try again.
error-403-title = You may not see this page
error-403-text = Your account does not have the role this page needs. If you think it should, ask your node's administrator.
error-404-title = Page not found
error-404-text = There is no page at this address. The case may not be published, or the link may be mistyped.
error-500-title = Something went wrong on our side
error-500-text = The problem has been logged. Try again in a moment; if it persists, tell the node's administrator.
error-503-title = The library is busy
error-503-text = The node is busy right now. Try again in a moment.
error-conflict = Someone else changed this record while you were working on it. Reload the page to see their changes, then make yours again.
error-transition = This step is not possible from the case's current status.
