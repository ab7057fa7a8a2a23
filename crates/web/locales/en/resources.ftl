# Resources and collections (issue #11)
nav-resources = Resources
resources-title = Resources
resources-intro = Guides, toolkits, training material, reports, videos and datasets shared with the network, linked to the cases and events they serve.
resources-new = Add a resource
resources-filters = Filter resources
resources-field-type = Type
resources-any = Any
resources-filter = Filter
resources-count = { $count ->
    [one] One resource
   *[other] { $count } resources
}
resources-none = No resources yet.
resources-more = More resources
resources-type-guide = Guide
resources-type-toolkit = Toolkit
resources-type-training = Training material
resources-type-report = Report
resources-type-video = Video
resources-type-dataset = Dataset
resources-field-languages = Languages
resources-field-languages-help = Language codes, separated by commas (en, id, ms…).
resources-field-licence = Licence
resources-field-licence-help = An SPDX identifier, such as CC-BY-4.0, CC-BY-SA-4.0 or CC0-1.0.
resources-updated = Updated
resources-download = Download
resources-open = Open the resource
resources-cases = Cases it serves
resources-events = Events
resources-form-errors = The resource was not saved:
resources-field-title-en = Title in English
resources-field-title-id = Title in Bahasa Indonesia
resources-field-summary-en = Summary in English
resources-field-summary-id = Summary in Bahasa Indonesia
resources-field-url = Link (or upload a file below)
resources-field-file = File
resources-field-file-help = PDF, DOCX, PPTX, XLSX, ODT, CSV, PNG or JPEG, at most { $max } MiB. The type is read from the file itself.
resources-field-cases = Case ids
resources-field-events = Event ids
resources-field-ids-help = Ids separated by commas or spaces.
resources-save = Save
collections-title = Collections
collections-intro = Curated lists of cases, in the order their curators chose.
collections-new = Add a collection
collections-none = No collections yet.
collections-cases = { $count ->
    [one] one case
   *[other] { $count } cases
}
collections-empty = None of this collection's cases is published now.
collections-all = All collections
collections-field-id = Address
collections-field-id-help = Lower-case letters, digits and hyphens, such as top-innovations-2024.
collections-field-intro-en = Introduction in English (Markdown)
collections-field-intro-id = Introduction in Bahasa Indonesia (Markdown)
collections-field-cases = Case ids, in order
collections-field-cases-help = One case id per line; the collection shows them in this order.
hit-resource = Resource
kind-resource = Resources
resources-error-too-large = The file is larger than 20 MiB.
resources-error-type = The file was refused: { $detail }.
