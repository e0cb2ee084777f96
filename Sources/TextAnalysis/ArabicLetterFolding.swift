/// The normaliser's Arabic-script letter table, kept as data.
///
/// Persian, Urdu and Arabic keyboards write the same letter with different code points
/// (ی U+06CC vs ي U+064A, ک U+06A9 vs ك U+0643), so the keys fold them to one form.
/// پ چ ژ گ ء stay distinct: they are different letters, not spelling variants.
enum ArabicLetterFolding {
    /// What a scalar becomes; absent means unchanged.
    enum Fold {
        case replace(UInt32)
        case delete
    }

    /// The table: ى ی ے ۍ ې → ي; ک ڪ → ك; ٱ ٲ ٳ → ا; ة ۃ ە ھ ہ → ه; U+0674 deleted.
    static let table: [UInt32: Fold] = [
        0x0649: .replace(0x064A),  // ى alef maksura
        0x06CC: .replace(0x064A),  // ی Farsi yeh
        0x06D2: .replace(0x064A),  // ے yeh barree
        0x06CD: .replace(0x064A),  // ۍ yeh with tail
        0x06D0: .replace(0x064A),  // ې e
        0x06A9: .replace(0x0643),  // ک keheh
        0x06AA: .replace(0x0643),  // ڪ swash kaf
        0x0671: .replace(0x0627),  // ٱ alef wasla
        0x0672: .replace(0x0627),  // ٲ alef with wavy hamza above
        0x0673: .replace(0x0627),  // ٳ alef with wavy hamza below
        0x0629: .replace(0x0647),  // ة teh marbuta
        0x06C3: .replace(0x0647),  // ۃ teh marbuta goal
        0x06D5: .replace(0x0647),  // ە ae
        0x06BE: .replace(0x0647),  // ھ heh doachashmee
        0x06C1: .replace(0x0647),  // ہ heh goal
        0x0674: .delete,  // high hamza
    ]
}
