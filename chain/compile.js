// Compiles NaeuralLedger.sol with solc-js (no native compiler needed) into NaeuralLedger.json: { abi, bytecode }, or into the
// file named by the first argument. The output is committed and built into Naeural.Ledger (nodes deploy and call the contract
// with it); the EVM tests compile afresh into a file of their own and check the built-in copy is the same, so run this after
// changing the contract.
// evmVersion 'paris' suits ganache 7.9. Run by the EVM test fixture and by scripts that deploy the contract.
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const source = fs.readFileSync(path.join(__dirname, 'NaeuralLedger.sol'), 'utf8');
const input = {
  language: 'Solidity',
  sources: { 'NaeuralLedger.sol': { content: source } },
  settings: { evmVersion: 'paris', optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter(e => e.severity === 'error');
if (errors.length > 0) {
  console.error(errors.map(e => e.formattedMessage).join('\n'));
  process.exit(1);
}
const contract = output.contracts['NaeuralLedger.sol'].NaeuralLedger;
const target = process.argv[2] || path.join(__dirname, 'NaeuralLedger.json');
fs.writeFileSync(target,
  JSON.stringify({ abi: contract.abi, bytecode: '0x' + contract.evm.bytecode.object }, null, 1));
console.log('compiled NaeuralLedger: ' + contract.evm.bytecode.object.length / 2 + ' bytes');
