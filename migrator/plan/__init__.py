"""Pass 1 and the plan every later stage asks: what each input item becomes and where it goes.

* :mod:`~migrator.plan.index`: the first pass over the inputs: each item's fate (document,
  media, skipped), its planned output path, attachments, reusable blocks, URL and slug keys;
* :mod:`~migrator.plan.store`: the index's tables, in one temporary SQLite database per run;
* :mod:`~migrator.plan.layout`: layout templates, safe file names, de-duplication;
* :mod:`~migrator.plan.references`: the link and media plan (:class:`References`): internal
  links and media resolved through the index, which media each document uses, old paths;
* :mod:`~migrator.plan.media_paths`: where a downloaded media file goes.

The plan sits between the readers and the transforms (sources -> plan -> transforms -> render
-> output): it reads the inputs through :mod:`migrator.sources` and is asked by the stages after
it (the transforms' link rewriting, the front matter, the media phase, redirects, targets); it
never imports them.
"""
