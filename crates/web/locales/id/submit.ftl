## Submission form and curator queue
