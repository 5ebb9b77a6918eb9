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


# Two colleagues who only talk: platonic at most, General Audiences.
TALK = """\
Felix Grant ran the night desk at the Harbour Hotel, and Ruth Adler ran the kitchen below
it. At three in the morning they were the only two people awake in the building.

"Any complaints?" Ruth asked, setting down a plate of toast.

"Room nine wants to know why the sea is so loud," said Felix.

"Tell room nine it's the sea."

Felix smiled. "I did. He asked me to turn it down."

Ruth laughed and went back to her ovens, and Felix went back to his ledger, and the sea
went on being loud.

"Goodnight, Ruth," Felix called when the sky turned grey.

"Morning, Felix," she said.
"""


# Affection wanted, denied and imagined, never done: pining, no kiss.
PINING = """\
Priya Shah and Hannah Cole had shared a desk at the observatory for two years. Every night
they argued about coffee, and every night Priya won.

"You take it too strong," Hannah said.

"You take it too weak," said Priya.

Hannah looked at her across the telescope mount and wanted to kiss her. She did not kiss
her. She did not even move. If she kissed Priya now, Hannah thought, she would ruin
everything.

"What?" Priya asked.

"Nothing," said Hannah. "Your star is setting."

Priya turned back to the eyepiece, and Hannah wondered whether Priya ever thought about
kissing her too. She almost reached for Priya's hand. She didn't.

"Coffee?" Hannah asked.

"Strong," said Priya, and they both laughed.
"""
