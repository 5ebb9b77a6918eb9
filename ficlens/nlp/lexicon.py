"""Word lists shared by the language stages."""

from __future__ import annotations

# Verbs that introduce or tag speech ("said X", "X murmured", "cut in Spock"), past and
# present forms. Kept broad: fan fiction avoids "said" with a passion.
SPEECH_VERBS: frozenset[str] = frozenset(
    """
    said says say asked asks ask replied replies answered answers whispered whispers
    shouted shouts cried cries yelled yells muttered mutters murmured murmurs added adds
    began begins continued continues exclaimed exclaims screamed screams snapped snaps
    hissed hisses growled growls told tells sang sings repeated repeats echoed echoes
    breathed breathes sighed sighs laughed laughs grumbled grumbles demanded demands
    insisted insists shrieked shrieks gasped gasps bellowed bellows roared roars barked
    barks cooed coos purred purrs squeaked squeaks croaked croaks interrupted interrupts
    pleaded pleads begged begs announced announces declared declares stammered stammers
    stuttered stutters mumbled mumbles called calls apologised apologized apologises
    apologizes agreed agrees admitted admits argued argues offered offers protested
    protests remarked remarks observed observes noted notes suggested suggests warned
    warns explained explains complained complains teased teases joked jokes sneered
    sneers scoffed scoffs snorted snorts grunted grunts groaned groans moaned moans
    whimpered whimpers sobbed sobs wailed wails chuckled chuckles giggled giggles
    smirked smirks drawled drawls rasped rasps sniffed sniffs huffed huffs retorted
    retorts countered counters conceded concedes confessed confesses promised promises
    ordered orders commanded commands urged urges prompted prompts corrected corrects
    mused muses wondered wonders thought thinks reflected reflects responded responds
    chimed chimes piped pipes intoned intones quipped quips ventured ventures
    murmured muttered went goes inquired inquires enquired enquires rejoined rejoins
    returned interposed interposes pursued resumed resumes persisted remonstrated
    acquiesced assented concluded ejaculated thundered queried supplied asserted
    faltered entreated hazarded advised bawled submitted instructed quavered objected
    interjected blurted spluttered sputtered stormed soothed reasoned reminded
    cautioned chided scolded whined yelped snarled jeered recited gushed
    stated states hinted hints intimated intimates panted pants boomed booms howled howls
    screeched screeches cackled cackles lisped lisps hollered hollers simpered simpers
    expostulated vociferated
    """.split()
)

# Nouns of descriptions that tell a person's gender.
MALE_NOUNS: frozenset[str] = frozenset(
    """
    man boy gentleman lad fellow father son brother uncle husband king prince lord
    policeman waiter butler footman landlord master monk priest squire duke earl baron
    grandfather nephew youth groom sailor soldier daddy dad papa grandpa
    """.split()
)
FEMALE_NOUNS: frozenset[str] = frozenset(
    """
    woman girl lady lass mother daughter sister aunt wife queen princess maid housemaid
    landlady mistress nun nurse grandmother niece bride governess duchess countess widow
    nanny mummy mum mama granny grandma matron
    """.split()
)
