/** The shell's public face: what the engine and chapters import. */
export { runLine, type ShellRunResult, type RunOptions, type ShellCommandContext } from './exec';
export { complete, type CompletionResult } from './complete';
export { createRegistry, genericCommands, type SpecRegistry } from './registry';
export { initialShellState, homeDirectory, type ShellState, type InitialShellOptions } from './state';
export { parse, type ParseResult, type ParseFailure } from './parse';
export { Out, ok, failure, chunksOf, type ChunkedResult, type OutputChunk } from './io';
export { defineCommand, manPage, type CommandDef, type ManInfo } from './commands/define';
export { getopt, type OptDef, type GetoptResult } from './getopt';
export { LIMITS } from './limits';
export { GameVfs, type VfsProvider, type GameVfsOptions } from '../vfs/vfs';
export { errnoMessage } from '../vfs/errno';
export { normalizePath } from '../vfs/path';
