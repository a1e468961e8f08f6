""":mod:`rhetoric.study`: what the notebooks and ``rhetoric run`` use.

The study's context and generated prose (:mod:`~rhetoric.study.context`), the
plots (:mod:`~rhetoric.study.plots`, the only module that draws), saving figures
with their manifest (:mod:`~rhetoric.study.figures`), executing the notebooks
(:mod:`~rhetoric.study.run`) and HTML reports (:mod:`~rhetoric.study.reports`).
The top of the analysis layers: it imports the measures, never the reverse.
"""
