// The Unicode Script property (Scripts.txt, not Script_Extensions) of a code point, read from this
// JavaScript engine's own Unicode data through `\p{Script=…}` regular expressions and cached per code
// point. As in SentencePiece (unicode_script.cc), a code point of no listed script counts as Common.

/** Script names tried in order; names the engine does not know are skipped. */
const SCRIPT_NAMES = [
  'Common', 'Latin', 'Inherited', 'Han', 'Hiragana', 'Katakana', 'Cyrillic', 'Greek', 'Arabic', 'Devanagari',
  'Hangul', 'Hebrew', 'Thai', 'Tamil', 'Telugu', 'Bengali', 'Gujarati', 'Gurmukhi', 'Kannada', 'Malayalam',
  'Oriya', 'Sinhala', 'Armenian', 'Georgian', 'Ethiopic', 'Khmer', 'Lao', 'Myanmar', 'Tibetan', 'Mongolian',
  'Bopomofo', 'Syriac', 'Thaana', 'Nko', 'Adlam', 'Ahom', 'Anatolian_Hieroglyphs', 'Avestan', 'Balinese',
  'Bamum', 'Bassa_Vah', 'Batak', 'Beria_Erfe', 'Bhaiksuki', 'Brahmi', 'Braille', 'Buginese', 'Buhid',
  'Canadian_Aboriginal', 'Carian', 'Caucasian_Albanian', 'Chakma', 'Cham', 'Cherokee', 'Chorasmian', 'Coptic',
  'Cuneiform', 'Cypriot', 'Cypro_Minoan', 'Deseret', 'Dives_Akuru', 'Dogra', 'Duployan', 'Egyptian_Hieroglyphs',
  'Elbasan', 'Elymaic', 'Garay', 'Glagolitic', 'Gothic', 'Grantha', 'Gunjala_Gondi', 'Gurung_Khema',
  'Hanifi_Rohingya', 'Hanunoo', 'Hatran', 'Imperial_Aramaic', 'Inscriptional_Pahlavi', 'Inscriptional_Parthian',
  'Javanese', 'Kaithi', 'Kawi', 'Kayah_Li', 'Kharoshthi', 'Khitan_Small_Script', 'Khojki', 'Khudawadi',
  'Kirat_Rai', 'Lepcha', 'Limbu', 'Linear_A', 'Linear_B', 'Lisu', 'Lycian', 'Lydian', 'Mahajani', 'Makasar',
  'Mandaic', 'Manichaean', 'Marchen', 'Masaram_Gondi', 'Medefaidrin', 'Meetei_Mayek', 'Mende_Kikakui',
  'Meroitic_Cursive', 'Meroitic_Hieroglyphs', 'Miao', 'Modi', 'Mro', 'Multani', 'Nabataean', 'Nag_Mundari',
  'Nandinagari', 'New_Tai_Lue', 'Newa', 'Nushu', 'Nyiakeng_Puachue_Hmong', 'Ogham', 'Ol_Chiki', 'Ol_Onal',
  'Old_Hungarian', 'Old_Italic', 'Old_North_Arabian', 'Old_Permic', 'Old_Persian', 'Old_Sogdian',
  'Old_South_Arabian', 'Old_Turkic', 'Old_Uyghur', 'Osage', 'Osmanya', 'Pahawh_Hmong', 'Palmyrene',
  'Pau_Cin_Hau', 'Phags_Pa', 'Phoenician', 'Psalter_Pahlavi', 'Rejang', 'Runic', 'Samaritan', 'Saurashtra',
  'Sharada', 'Shavian', 'Siddham', 'Sidetic', 'SignWriting', 'Sogdian', 'Sora_Sompeng', 'Soyombo', 'Sundanese',
  'Sunuwar', 'Syloti_Nagri', 'Tagalog', 'Tagbanwa', 'Tai_Le', 'Tai_Tham', 'Tai_Viet', 'Tai_Yo', 'Takri',
  'Tangsa', 'Tangut', 'Tifinagh', 'Tirhuta', 'Todhri', 'Tolong_Siki', 'Toto', 'Tulu_Tigalari', 'Ugaritic', 'Vai',
  'Vithkuqi', 'Wancho', 'Warang_Citi', 'Yezidi', 'Yi', 'Zanabazar_Square',
] as const;

/** Script ids are indexes into the list of scripts this engine knows; these are the ones rules refer to. */
export const SCRIPT_COMMON = 0;
export const SCRIPT_INHERITED = 2;
export const SCRIPT_HAN = 3;
export const SCRIPT_HIRAGANA = 4;
export const SCRIPT_KATAKANA = 5;

let matchers: (RegExp | null)[] | undefined;
const cache = new Map<number, number>();

function scriptMatchers(): (RegExp | null)[] {
  matchers ??= SCRIPT_NAMES.map((name) => {
    try {
      return new RegExp(`^\\p{Script=${name}}$`, 'u');
    } catch {
      return null; // a script newer than this engine's Unicode data
    }
  });
  return matchers;
}

/** The script id of a code point (SCRIPT_COMMON for unassigned code points and unknown scripts). */
export function scriptOf(cp: number): number {
  const cached = cache.get(cp);
  if (cached !== undefined) return cached;
  const text = String.fromCodePoint(cp);
  const list = scriptMatchers();
  let script = SCRIPT_COMMON;
  for (let i = 0; i < list.length; i++) {
    if (list[i]?.test(text) === true) {
      script = i;
      break;
    }
  }
  cache.set(cp, script);
  return script;
}

/** The name of a script id, e.g. for messages. */
export function scriptName(id: number): string {
  return SCRIPT_NAMES[id] ?? 'Common';
}
