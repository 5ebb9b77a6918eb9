"""Short original stories more than one meaning test reads."""

# A first kiss and a love confession, with a sister who hugs: romance and family.
ROMANCE = """\
Rain hammered the windows of the little flat on Carver Street. Nora Quinn stood at the
sink, washing the same mug for the third time, while Will Abbott dried the plates beside
her.

"You're quiet tonight," Will said.

Nora put the mug down. "I've been thinking."

"Dangerous." Will grinned at her. "About what?"

She turned to face him. For a long moment she did not say anything, and Will waited, the
tea towel forgotten in his hands. Then Nora reached up and cradled his cheek.

"I love you," she said. "I have for ages."

Will stared at her. Then he kissed her, slowly, and Nora kissed him back.

Later, Nora's sister Iris knocked at the door. Iris hugged Nora and rolled her eyes at
Will.

"Finally," Iris said to Will. "She talked about you for years."

Will laughed. "I didn't know."
"""


# A widow who remembers her husband: a relationship off the page, a remembered death.
WIDOW = """\
Margaret Hale kept the shop open on Sundays now. Customers were few, but the bell over the
door was better company than the silence upstairs.

Her late husband, Robert Hale, had built the shelves himself, the summer they were
married. Robert had died in the spring, four years ago, and Margaret still dusted his
workbench every week.

She remembered how Robert used to kiss her forehead before he opened the shutters.

At noon the bell rang. Lucy Price, the girl from the bakery, came in with a loaf wrapped
in paper.

"Mum says you forgot to collect this," Lucy said.

"Tell your mother she is a saint," Margaret said, and Lucy grinned.

"Are you coming to the fair on Saturday, Mrs Hale?"

"Perhaps," said Margaret. "If my knees allow it."

Lucy laughed and went back out into the sun, and Margaret put the bread on the counter and
went on with her dusting.
"""
