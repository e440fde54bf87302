// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Naeural settlement: token balances, payment-channel escrows settled with the payer's EIP-712 voucher, close requests
/// with a dispute window, expiry refunds. The same rules as Naeural.Ledger's embedded ledger (one contract-test suite).
contract NaeuralLedger {
    struct Channel {
        address payer;
        address payee;
        uint256 deposit;
        uint64 expiresAt;
        uint64 closeRequestedUntil;
        bool settled;
        uint256 paidToPayee;
        uint256 refundedToPayer;
    }

    bytes32 private constant VOUCHER_TYPEHASH = keccak256("Voucher(bytes32 channelId,uint256 amount,uint256 nonce)");
    uint256 private constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    /// The payee always gets at least this long to answer a close request with its best voucher.
    uint64 public constant MIN_DISPUTE_WINDOW = 1 hours;

    address public immutable owner;
    bytes32 public immutable DOMAIN_SEPARATOR;
    mapping(address => uint256) public balanceOf;
    mapping(bytes32 => Channel) public channels;

    event Minted(address indexed to, uint256 amount);
    event ChannelOpened(bytes32 indexed channelId, address indexed payer, address indexed payee, uint256 deposit, uint64 expiresAt);
    event CloseRequested(bytes32 indexed channelId, uint64 until);
    event ChannelSettled(bytes32 indexed channelId, uint256 paidToPayee, uint256 refundedToPayer);

    constructor() {
        owner = msg.sender;
        DOMAIN_SEPARATOR = keccak256(abi.encode(
            keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
            keccak256(bytes("Naeural")), keccak256(bytes("1")), block.chainid, address(this)));
    }

    function mint(address to, uint256 amount) external {
        require(msg.sender == owner, "only the owner mints");
        require(amount > 0, "mint amount must be positive");
        balanceOf[to] += amount;
        emit Minted(to, amount);
    }

    function openChannel(bytes32 channelId, address payee, uint256 deposit, uint64 duration) external {
        require(channels[channelId].payer == address(0), "channel exists already");
        require(deposit > 0 && balanceOf[msg.sender] >= deposit, "deposit not covered by the payer's balance");
        balanceOf[msg.sender] -= deposit;
        uint64 expiresAt = uint64(block.timestamp) + duration;
        channels[channelId] = Channel(msg.sender, payee, deposit, expiresAt, 0, false, 0, 0);
        emit ChannelOpened(channelId, msg.sender, payee, deposit, expiresAt);
    }

    function settle(bytes32 channelId, uint256 amount, uint256 nonce, bytes calldata signature) external {
        Channel storage c = live(channelId);
        require(msg.sender == c.payee, "only the payee settles its channel");
        require(c.closeRequestedUntil == 0 || block.timestamp <= c.closeRequestedUntil, "the dispute window is over");
        require(amount > 0 && nonce > 0, "NOT_INCREASING: empty voucher");
        require(amount <= c.deposit, "OVER_DEPOSIT: amount above the deposit");
        bytes32 digest = keccak256(abi.encodePacked(hex"1901", DOMAIN_SEPARATOR,
            keccak256(abi.encode(VOUCHER_TYPEHASH, channelId, amount, nonce))));
        require(recover(digest, signature) == c.payer, "BAD_SIGNATURE: not signed by the payer");
        close(channelId, c, amount);
    }

    function requestClose(bytes32 channelId, uint64 disputeWindow) external {
        Channel storage c = live(channelId);
        require(msg.sender == c.payer, "only the payer requests a close");
        require(c.closeRequestedUntil == 0, "a close was requested already");
        require(disputeWindow >= MIN_DISPUTE_WINDOW, "the dispute window is shorter than MIN_DISPUTE_WINDOW");
        c.closeRequestedUntil = uint64(block.timestamp) + disputeWindow;
        emit CloseRequested(channelId, c.closeRequestedUntil);
    }

    function reclaim(bytes32 channelId) external {
        Channel storage c = live(channelId);
        require(msg.sender == c.payer, "only the payer reclaims");
        bool windowOver = c.closeRequestedUntil != 0 && block.timestamp > c.closeRequestedUntil;
        require(windowOver || block.timestamp >= c.expiresAt, "neither expired nor past a requested close's dispute window");
        close(channelId, c, 0);
    }

    function live(bytes32 channelId) private view returns (Channel storage c) {
        c = channels[channelId];
        require(c.payer != address(0), "no such channel");
        require(!c.settled, "channel is settled already");
    }

    function close(bytes32 channelId, Channel storage c, uint256 paid) private {
        c.settled = true;
        c.paidToPayee = paid;
        c.refundedToPayer = c.deposit - paid;
        balanceOf[c.payee] += paid;
        balanceOf[c.payer] += c.deposit - paid;
        emit ChannelSettled(channelId, paid, c.deposit - paid);
    }

    function recover(bytes32 digest, bytes calldata signature) private pure returns (address signer) {
        require(signature.length == 65, "BAD_SIGNATURE: 65 bytes expected");
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v < 27) {
            v += 27;
        }
        require(uint256(s) <= HALF_ORDER, "BAD_SIGNATURE: high s");
        signer = ecrecover(digest, v, r, s);
        require(signer != address(0), "BAD_SIGNATURE: does not recover");
    }
}
