declare module 'string-width' {
  export default function stringWidth(
    input: string,
    options?: { ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean },
  ): number;
}
