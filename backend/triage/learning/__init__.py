"""The learning loop: people's labels are counted, and every `TRIAGE_RETRAIN_EVERY` of them a
background job retrains the local model behind a promotion guard.

Three modules, each depending only on the next, never back:

    counter   counts the labels people choose; claims and queues a retrain (web processes)
    jobs      the queued retrain job, and `retrain_now`, which releases the claim
    training  what the model learns from, fitting, the promotion guard (scikit-learn)

`training` imports scikit-learn, which takes seconds; `counter` and `jobs` do not, so a web
process that only counts labels never pays for it.
"""
