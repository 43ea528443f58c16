// Every component in this app uses runes ($state, $derived, $props); legacy syntax is a compile error.
export default {
  compilerOptions: { runes: true },
};
