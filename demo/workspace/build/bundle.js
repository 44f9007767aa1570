// generated: ignored by .gitignore, never analyzed
eval("1");
